"""Writes of member data: keyword-only, atomic, with an explicit actor and audit entry."""

from __future__ import annotations

from django.conf import settings

from portal.dates import years_ago

from . import idcard
from .search import clean_name, name_pinyin, name_terms


def identity_values(id_number: str) -> dict:
    """Encrypted number, blind index and masked form of a (valid) ID number."""
    number = idcard.normalize_id_number(id_number) if id_number else ""
    if not number:
        return {"id_number": "", "id_hash": None, "id_masked": ""}
    return {
        "id_number": number,
        "id_hash": idcard.id_blind_index(number, settings.ID_HASH_KEY),
        "id_masked": idcard.mask_id_number(number),
    }


def name_values(name: str) -> dict:
    """Cleaned name with its pinyin sort key and search terms."""
    name = clean_name(name)
    return {"name": name, "name_pinyin": name_pinyin(name), "name_terms": name_terms(name)}


# -- Member database (MEM-08, X-03): full ID on demand, logged exports ----------------------


def person_reveal_id_number(*, person, actor) -> str:
    """The full ID number of ``person`` for federation staff; each viewing is an ACCESS
    entry in the audit log (who, when, whose)."""
    from auditlog.models import LogEntry
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from accounts.roles import is_federation_staff

    if not is_federation_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        LogEntry.objects.log_create(
            person,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=actor,
            additional_data={"event": "reveal_id_number"},
        )
    return person.id_number


def member_export_log(*, actor, filters: dict, rows: int, order: str):
    """One ACCESS audit entry per member-list export: who, when, which filters, how many rows
    (the export itself writes nothing else)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .models import Membership

    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Membership),
        object_pk="",
        object_repr=f"会员名册导出（{rows} 行）",
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={
            "event": "member_export",
            "filters": filters,
            "rows": rows,
            "order": order,
        },
    )


# -- Self-service contact details (MEM-05, contact part) ------------------------------------

# Fields a member may change directly; identity fields (name, ID number, gender, birth date,
# ethnic group) go through a change request reviewed by the federation office.
CONTACT_FIELDS = frozenset(
    {
        "phone",
        "email",
        "address",
        "work_unit",
        "job_title",
        "professional_title",
        "town",
        "bio",
        "representative_works",
        "pen_name",
        "photo",
    }
)


def person_update_contact(*, person, actor, **fields):
    """Change a person's contact details in one transaction, audited with ``actor``.

    ``fields`` may hold only names from ``CONTACT_FIELDS``; anything else raises
    ``ValidationError`` (code ``not_contact_field``) before anything is written. ``photo``
    is an already sanitised file (portal.uploads.sanitize_image); ``None`` keeps the
    current photo. Model validation (mobile number, e-mail, lengths) runs on the changed
    fields; a failure raises ``ValidationError`` and nothing is saved. Returns the updated
    Person (a fresh, locked-and-saved copy).
    """
    from auditlog.context import set_actor
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext

    from .models import Person

    unknown = sorted(set(fields) - CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            gettext(
                "Only contact details can be changed here, not: %(fields)s. Identity "
                "details are changed by the federation office."
            ),
            code="not_contact_field",
            params={"fields": ", ".join(unknown)},
        )
    new_photo = fields.pop("photo", None)
    with transaction.atomic(), set_actor(actor):
        locked = Person.objects.select_for_update().get(pk=person.pk)
        changed = []
        for name, value in fields.items():
            field = Person._meta.get_field(name)
            if field.many_to_one:
                if getattr(locked, field.attname) != (value.pk if value is not None else None):
                    setattr(locked, name, value)
                    changed.append(name)
                continue
            value = "" if value is None else value
            if isinstance(value, str):
                value = value.strip()
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if changed:
            all_fields = [f.name for f in Person._meta.concrete_fields]
            locked.full_clean(
                exclude=[f for f in all_fields if f not in changed], validate_unique=False
            )
        old_photo = locked.photo.name if new_photo is not None else ""
        if new_photo is not None:
            locked.photo.save(new_photo.name, new_photo, save=False)
            changed.append("photo")
        if not changed:
            return locked
        try:
            locked.save(update_fields=[*changed, "updated_at"])
        except Exception:
            if new_photo is not None:
                locked.photo.storage.delete(locked.photo.name)
            raise
        if old_photo:
            storage = locked.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return locked


# == Online application and two-stage review (MEM-01, MEM-02, MEM-04 numbers) — "apply" ==
# Writes of the application path: registration with consent, drafts, submission, referees,
# secretary and staff decisions, public notice with objections, the membership and its number.

import logging  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from auditlog.context import set_actor  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import formats, timezone, translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

_apply_log = logging.getLogger("members.apply")

DEFAULT_MEMBER_NUMBER_FORMAT = "AL-{code}-{year}-{seq:04d}"

# Profile fields copied from the application form (and into Person at final approval).
APPLICATION_PROFILE_FIELDS = (
    "name",
    "pen_name",
    "gender",
    "ethnic_group",
    "birth_date",
    "phone",
    "email",
    "political_status",
    "education",
    "native_place",
    "work_unit",
    "job_title",
    "professional_title",
    "town",
    "in_system",
    "new_art_group",
    "bio",
)
APPLICATION_TEXT_FIELDS = (
    "work_links",
    "field_life",
    "statement",
    "referee1_name",
    "referee1_number",
    "referee2_name",
    "referee2_number",
)
# Fields that must be filled before an application can be submitted.
APPLICATION_REQUIRED_ON_SUBMIT = (
    "association",
    "name",
    "gender",
    "ethnic_group",
    "birth_date",
    "id_number",
    "phone",
    "political_status",
    "education",
    "statement",
    "referee1_name",
    "referee1_number",
    "referee2_name",
    "referee2_number",
)


def privacy_consent_version() -> str:
    return getattr(settings, "PRIVACY_CONSENT_VERSION", "2026-01")


def reapply_bar_years() -> int:
    return int(getattr(settings, "MEMBERSHIP_REAPPLY_BAR_YEARS", 3))


def duplicate_application_message() -> str:
    return _(
        "This ID number already belongs to a member of this association or to an application "
        "waiting for review there."
    )


def notice_end_date(start: date, working_days: int) -> date:
    """Last day of a public notice of ``working_days`` working days (Mon–Fri) beginning on
    ``start`` (counted when it is a working day)."""
    day, counted = start, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted >= max(working_days, 1):
                return day
        day += timedelta(days=1)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send_mail_quietly(subject: str, body: str, to: list[str]) -> None:
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 - a mail failure must not undo a recorded decision
        _apply_log.exception("Could not send application mail to %s", to)


def _status_label(status: str) -> str:
    from .models import Application

    return str(Application.Status(status).label)


def _notify_applicant(application, text: str) -> None:
    """A message in the applicant's portal pages plus an e-mail (after commit)."""
    from .models import ApplicationNotice

    ApplicationNotice.objects.create(application=application, user=application.applicant, text=text)
    address = application.email or application.applicant.email
    if not address:
        return
    url = _site_url(reverse("members:apply_detail", args=[application.pk]))
    subject = _("[%(site)s] Your membership application") % {"site": settings.FEDERATION_SHORT_NAME}
    body = _(
        "Dear %(name)s,\n\n%(text)s\n\nThe whole record of your application is at %(url)s\n\n"
        "%(site)s"
    ) % {
        "name": application.name or application.applicant.get_full_name(),
        "text": text,
        "url": url,
        "site": settings.FEDERATION_NAME,
    }
    transaction.on_commit(lambda: _send_mail_quietly(subject, body, [address]))


def _notify_referee(referee) -> None:
    application = referee.application
    person = referee.membership.person
    address = person.email or (person.user.email if person.user_id else "")
    if not address:
        return
    url = _site_url(reverse("members:referee_respond", args=[referee.pk]))
    subject = _("[%(site)s] Please confirm that you recommend %(name)s") % {
        "site": settings.FEDERATION_SHORT_NAME,
        "name": application.name,
    }
    body = _(
        "Dear %(referee)s,\n\n%(name)s has applied to join %(association)s and named you as a "
        "referee. Please log in and confirm or decline the recommendation at %(url)s\n\n%(site)s"
    ) % {
        "referee": person.name,
        "name": application.name,
        "association": application.association.name,
        "url": url,
        "site": settings.FEDERATION_NAME,
    }
    transaction.on_commit(lambda: _send_mail_quietly(subject, body, [address]))


def _notify_reviewers(application) -> None:
    """E-mail the people who act next: the association's secretaries for the first stage,
    federation staff for the second (the dashboards list the same applications)."""
    from guardian.shortcuts import get_users_with_perms

    from .models import Application

    if application.status == Application.Status.ASSOCIATION_REVIEW:
        users = get_users_with_perms(
            application.association,
            only_with_perms_in=["manage_association"],
            with_group_users=False,
            with_superusers=False,
        )
    elif application.status == Application.Status.FEDERATION_REVIEW:
        from accounts.selectors import staff_users

        users = staff_users()
    else:
        return
    addresses = sorted(
        {u.email for u in users.filter(is_active=True).exclude(email="").only("email")}
    )
    if not addresses:
        return
    url = _site_url(reverse("members:apply_detail", args=[application.pk]))
    subject = _("[%(site)s] An application waits for your review: %(name)s") % {
        "site": settings.FEDERATION_SHORT_NAME,
        "name": application.name,
    }
    body = _(
        "The application of %(name)s to %(association)s is waiting for your review (%(stage)s):"
        " %(url)s\n\n%(site)s"
    ) % {
        "name": application.name,
        "association": application.association.name,
        "stage": _status_label(application.status),
        "url": url,
        "site": settings.FEDERATION_NAME,
    }
    for address in addresses:
        transaction.on_commit(lambda a=address: _send_mail_quietly(subject, body, [a]))


def _record_step(application, *, actor, from_status: str, reason: str = "") -> None:
    from .models import ApplicationStep

    ApplicationStep.objects.create(
        application=application,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=application.status,
        reason=reason,
    )


def _already_handled_error(application) -> ValidationError:
    """The message for the loser of a race: who did what, when."""
    step = application.steps.select_related("actor").order_by("-created_at", "-id").first()
    if step is None:
        return ValidationError(
            _("This application has changed in the meantime. Please refresh the page."),
            code="conflict",
        )
    actor = step.actor.get_full_name() if step.actor else _("the system")
    when = formats.date_format(timezone.localtime(step.created_at), "DATETIME_FORMAT")
    return ValidationError(
        _(
            "This application has already been handled by %(actor)s on %(when)s (now: "
            "%(status)s). Please refresh the page to see it."
        ),
        code="conflict",
        params={"actor": actor, "when": when, "status": _status_label(application.status)},
    )


def privacy_consent_record(*, user, version: str):
    """Record a user's explicit consent to the processing of personal information."""
    from .models import PrivacyConsent

    with transaction.atomic(), set_actor(user):
        return PrivacyConsent.objects.create(user=user, version=version)


def privacy_consent_current(user):
    from .models import PrivacyConsent

    return (
        PrivacyConsent.objects.filter(user=user, version=privacy_consent_version())
        .order_by("-given_at")
        .first()
    )


def applicant_register(
    *, phone: str, name: str, password: str, email: str = "", consent_given: bool
):
    """Create an applicant account (user name = mobile number) with the consent row.

    Without consent nothing is stored."""
    from django.contrib.auth import get_user_model

    if not consent_given:
        raise ValidationError(
            {
                "consent": _(
                    "Please read the statement on personal information and tick the box to "
                    "agree; without your consent we cannot store your data."
                )
            },
            code="consent_required",
        )
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(Q(phone=phone) | Q(username__iexact=phone)).exists():
            raise ValidationError(
                {
                    "phone": _(
                        "This mobile number is already registered. Log in with it, or reset "
                        "the password if you have forgotten it."
                    )
                },
                code="phone_taken",
            )
        user = User(username=phone, phone=phone, full_name=name.strip(), email=email.strip())
        user.set_password(password)
        with set_actor(None):
            user.save()
        privacy_consent_record(user=user, version=privacy_consent_version())
    return user


def application_save_draft(
    *,
    applicant,
    actor,
    data: dict,
    application=None,
    photo=None,
    new_works=(),
    remove_work_ids=(),
    consent_given: bool = False,
):
    """Create or update a draft (or returned) application without checking completeness.

    ``data`` holds the cleaned form values; ``photo`` and ``new_works`` (pairs of title and
    file) are already sanitised (portal.uploads). Without a current consent nothing is
    stored."""
    from .models import Application, ApplicationWork

    if actor.pk != applicant.pk:
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        if consent_given and privacy_consent_current(applicant) is None:
            privacy_consent_record(user=applicant, version=privacy_consent_version())
        if privacy_consent_current(applicant) is None:
            raise ValidationError(
                {
                    "consent": _(
                        "Please agree to the processing of your personal information before "
                        "saving the application."
                    )
                },
                code="consent_required",
            )
        if application is None:
            application = Application(applicant=applicant)
        else:
            application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
            if application.applicant_id != applicant.pk:
                raise PermissionDenied
            if application.status not in Application.EDITABLE:
                raise _already_handled_error(application)
        if application.status == Application.Status.DRAFT and "association" in data:
            application.association = data["association"]
        for field in (*APPLICATION_PROFILE_FIELDS, *APPLICATION_TEXT_FIELDS):
            if field in data:
                value = data[field]
                if isinstance(value, str):
                    value = value.strip()
                setattr(application, field, value)
        if "name" in data:
            application.name = clean_name(data["name"] or "")
        if "id_number" in data:
            values = identity_values(data["id_number"] or "")
            application.id_number = values["id_number"]
            application.id_hash = values["id_hash"] or ""
            application.id_masked = values["id_masked"]
        old_photo = ""
        if photo is not None:
            old_photo = application.photo.name
            application.photo.save(photo.name, photo, save=False)
        application.save()
        if "art_categories" in data:
            application.art_categories.set(data["art_categories"] or [])
        for title, upload in new_works:
            work = ApplicationWork(application=application, title=(title or "").strip())
            work.content_type = getattr(upload, "content_type", "")
            work.file.save(upload.name, upload, save=False)
            work.save()
        removed = list(
            ApplicationWork.objects.filter(application=application, id__in=list(remove_work_ids))
        )
        for work in removed:
            name, storage = work.file.name, work.file.storage
            work.delete()
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))
        if old_photo:
            storage = application.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return application


def _find_referee_membership(*, association, name: str, number: str):
    from .models import Membership

    name, number = clean_name(name), (number or "").strip()
    if not name or not number:
        return None
    return (
        Membership.objects.select_related("person", "person__user")
        .filter(association=association, status=Membership.Status.ACTIVE, person__name=name)
        .filter(Q(number=number) | Q(legacy_number=number))
        .first()
    )


def application_check(*, application) -> list:
    """Check that ``application`` is complete and allowed; return the two referees'
    memberships. Raises ``ValidationError`` with a message per form field."""
    from .models import Application, Membership

    errors: dict[str, list] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    for field in APPLICATION_REQUIRED_ON_SUBMIT:
        value = getattr(application, field if field != "association" else "association_id")
        if value in (None, ""):
            add(field, _("Please fill in this field before submitting."), "required")
    if not application.photo:
        add("photo", _("Please upload a recent photo before submitting."), "required")
    if not application.art_categories.exists():
        add("art_categories", _("Choose at least one art category."), "required")
    if not application.works.exists() and not application.link_list():
        add(
            "work_file_1",
            _("Add at least one representative work: upload a file or give a link."),
            "required",
        )
    if application.id_number:
        info = None
        try:
            info = idcard.validate_id_number(application.id_number)
        except ValidationError as exc:
            add("id_number", exc.messages[0], exc.code or "invalid")
        if info is not None and (application.birth_date or application.gender):
            try:
                idcard.check_id_matches(
                    info, birth_date=application.birth_date, gender=application.gender or None
                )
            except ValidationError as exc:
                field = "birth_date" if exc.code == "birth_date_mismatch" else "gender"
                add(field, exc.messages[0], exc.code)

    referees = []
    association = application.association
    if association is not None and application.id_hash:
        duplicate = (
            Membership.objects.filter(
                association=association,
                person__id_hash=application.id_hash,
                # A suspended member is still a member: reinstatement is a decision, not
                # a new application.
                status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
            ).exists()
            or Application.objects.filter(
                association=association,
                id_hash=application.id_hash,
                status__in=Application.PENDING,
            )
            .exclude(pk=application.pk)
            .exists()
        )
        if duplicate:
            add("id_number", duplicate_application_message(), "duplicate")
        years = reapply_bar_years()
        today = timezone.localdate()
        cutoff = years_ago(today, years)
        expelled = Membership.objects.filter(
            association=association,
            person__id_hash=application.id_hash,
            status=Membership.Status.EXPELLED,
        ).filter(Q(left_on__gt=cutoff) | Q(left_on__isnull=True))
        if expelled.exists():
            add(
                "association",
                _(
                    "This ID number cannot apply to this association at present: a person "
                    "expelled from an association may apply to it again only after %(years)s "
                    "years. Please contact the association if you think this is a mistake."
                )
                % {"years": years},
                "expelled_bar",
            )
    if association is not None:
        for slot in (1, 2):
            name = getattr(application, f"referee{slot}_name")
            number = getattr(application, f"referee{slot}_number")
            if not name or not number:
                continue
            membership = _find_referee_membership(association=association, name=name, number=number)
            if membership is None:
                add(
                    f"referee{slot}_number",
                    _(
                        "No active member of %(association)s has the name %(name)s and the "
                        "member number %(number)s. Check both against the referee's "
                        "membership card."
                    )
                    % {"association": association.name, "name": name, "number": number},
                    "referee_not_member",
                )
                continue
            if application.id_hash and membership.person.id_hash == application.id_hash:
                add(f"referee{slot}_number", _("You cannot be your own referee."), "self_referee")
                continue
            if referees and referees[0].pk == membership.pk:
                add(
                    "referee2_number",
                    _("The two referees must be two different members."),
                    "same_referee",
                )
                continue
            referees.append(membership)
    if errors:
        raise ValidationError(errors)
    return referees


def application_submit(*, application, actor):
    """Submit (or resubmit after a return) a complete application: referees are asked to
    confirm; with both confirmations it goes straight to the association's review."""
    from .models import Application, ApplicationReferee

    with transaction.atomic(), set_actor(actor):
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("association", "applicant")
            .get(pk=application.pk)
        )
        if app.applicant_id != actor.pk:
            raise PermissionDenied
        if app.status not in Application.EDITABLE:
            raise _already_handled_error(app)
        referees = application_check(application=app)
        consent = privacy_consent_current(app.applicant)
        if consent is None:
            raise ValidationError(
                _("Please agree to the processing of your personal information first."),
                code="consent_required",
            )
        from_status = app.status
        existing = {r.slot: r for r in app.referees.all()}
        kept, new_requests = set(), []
        for slot, membership in enumerate(referees, start=1):
            old = existing.get(slot)
            if (
                old is not None
                and old.membership_id == membership.pk
                and old.status == ApplicationReferee.Status.CONFIRMED
            ):
                kept.add(slot)
        app.referees.exclude(slot__in=kept).delete()
        for slot, membership in enumerate(referees, start=1):
            if slot not in kept:
                new_requests.append(
                    ApplicationReferee.objects.create(
                        application=app, slot=slot, membership=membership
                    )
                )
        app.consent_version, app.consent_at = consent.version, consent.given_at
        app.status = (
            Application.Status.ASSOCIATION_REVIEW
            if not new_requests
            else Application.Status.REFEREES
        )
        app.submitted_at = timezone.now()
        try:
            with transaction.atomic():
                app.save()
        except IntegrityError:
            raise ValidationError(
                {"id_number": duplicate_application_message()}, code="duplicate"
            ) from None
        _record_step(app, actor=actor, from_status=from_status)
        with translation.override(settings.LANGUAGE_CODE):
            if new_requests:
                text = _(
                    "Your application to %(association)s has been submitted. Your referees "
                    "have been asked to confirm; it goes to the association's review when both "
                    "have confirmed."
                ) % {"association": app.association.name}
            else:
                text = _(
                    "Your application to %(association)s has been submitted and is waiting "
                    "for the association's review."
                ) % {"association": app.association.name}
            _notify_applicant(app, text)
            _notify_reviewers(app)
            for referee in new_requests:
                referee.application = app
                _notify_referee(referee)
    return app


def referee_respond(*, referee, actor, confirm: bool, comment: str = ""):
    """A referee confirms or declines; both confirmations send the application forward, a
    refusal returns it to the applicant (who may name another referee)."""
    from .models import Application, ApplicationReferee

    comment = (comment or "").strip()
    if not confirm and not comment:
        raise ValidationError(
            {"comment": _("Please say briefly why you decline.")}, code="reason_required"
        )
    with transaction.atomic(), set_actor(actor):
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("association", "applicant")
            .get(pk=referee.application_id)
        )
        ref = (
            ApplicationReferee.objects.select_for_update(of=("self",))
            .select_related("membership__person")
            .get(pk=referee.pk)
        )
        if ref.membership.person.user_id != actor.pk:
            raise PermissionDenied
        if app.status != Application.Status.REFEREES or ref.status != ref.Status.PENDING:
            raise ValidationError(
                _("This request has already been answered or the application has changed."),
                code="conflict",
            )
        ref.status = ref.Status.CONFIRMED if confirm else ref.Status.DECLINED
        ref.comment, ref.responded_at = comment, timezone.now()
        ref.save()
        from_status = app.status
        with translation.override(settings.LANGUAGE_CODE):
            if not confirm:
                app.status = Application.Status.RETURNED
                app.save()
                reason = _("Referee %(name)s declined: %(comment)s") % {
                    "name": ref.membership.person.name,
                    "comment": comment,
                }
                _record_step(app, actor=actor, from_status=from_status, reason=reason)
                _notify_applicant(
                    app,
                    _("%(reason)s. Please name another referee and submit the application again.")
                    % {"reason": reason},
                )
            elif not app.referees.exclude(status=ref.Status.CONFIRMED).exists():
                app.status = Application.Status.ASSOCIATION_REVIEW
                app.save()
                _record_step(
                    app, actor=actor, from_status=from_status, reason=_("Both referees confirmed.")
                )
                _notify_reviewers(app)
                _notify_applicant(
                    app,
                    _(
                        "Both referees have confirmed. Your application to %(association)s is "
                        "now waiting for the association's review."
                    )
                    % {"association": app.association.name},
                )
    return ref


def membership_assign_number(*, membership) -> str:
    """Give ``membership`` the next number of its association and year.

    The per-association, per-year counter row is locked (SELECT … FOR UPDATE), so
    concurrent approvals get distinct numbers; numbers are never reused."""
    from .models import MemberNumberCounter, Membership

    association = membership.association
    year = membership.joined_on.year
    fmt = association.member_number_format or DEFAULT_MEMBER_NUMBER_FORMAT
    with transaction.atomic():
        counter, _created = MemberNumberCounter.objects.select_for_update().get_or_create(
            association=association, year=year
        )
        while True:
            counter.last += 1
            try:
                number = fmt.format(code=association.code, year=year, seq=counter.last)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValidationError(
                    _(
                        "The member number format of %(association)s is not valid. Use the "
                        "placeholders {code}, {year} and {seq}."
                    ),
                    code="bad_number_format",
                    params={"association": association.name},
                ) from exc
            if not Membership.objects.filter(Q(number=number) | Q(legacy_number=number)).exists():
                break
        counter.save(update_fields=["last"])
        membership.number = number
        membership.save(update_fields=["number", "updated_at"])
    return number


def _copy_photo(application):
    if not application.photo:
        return None
    with application.photo.open("rb") as fh:
        data = fh.read()
    return ContentFile(data, name=application.photo.name.rsplit("/", 1)[-1])


def membership_grant(*, application, actor):
    """Final approval: create or reactivate the Person's Membership, give it a number, link
    the applicant's login to the Person and add the 会员 group."""
    from accounts import roles

    from .models import Membership, Person

    app = application
    today = timezone.localdate()
    with transaction.atomic(), set_actor(actor):
        person = Person.objects.select_for_update().filter(id_hash=app.id_hash).first()
        own = Person.objects.select_for_update().filter(user=app.applicant).first()
        if person is None and own is not None:
            if own.id_hash and own.id_hash != app.id_hash:
                raise ValidationError(
                    _(
                        "The applicant's account is linked to a member record with another ID "
                        "number. Please correct the record in the admin first."
                    ),
                    code="person_conflict",
                )
            person = own
        profile = {f: getattr(app, f) for f in APPLICATION_PROFILE_FIELDS}
        if person is None:
            values = {
                **profile,
                **identity_values(app.id_number),
                **name_values(app.name),
            }
            person = Person(**values, user=app.applicant)
            photo = _copy_photo(app)
            if photo is not None:
                person.photo.save(photo.name, photo, save=False)
            person.save()
        else:
            for field, value in profile.items():
                if value not in (None, ""):
                    setattr(person, field, value)
            values = name_values(app.name)
            if not person.id_hash:
                values.update(identity_values(app.id_number))
            for field, value in values.items():
                setattr(person, field, value)
            if person.user_id is None and own is None:
                person.user = app.applicant
            if not person.photo:
                photo = _copy_photo(app)
                if photo is not None:
                    person.photo.save(photo.name, photo, save=False)
            person.save()
        person.art_categories.add(*app.art_categories.all())
        membership = (
            Membership.objects.select_for_update()
            .filter(person=person, association=app.association)
            .first()
        )
        if membership is None:
            membership = Membership.objects.create(
                person=person,
                association=app.association,
                joined_on=today,
                status=Membership.Status.ACTIVE,
            )
        else:
            if membership.status in (Membership.Status.ACTIVE, Membership.Status.SUSPENDED):
                raise ValidationError(duplicate_application_message(), code="duplicate")
            if membership.number and not membership.legacy_number:
                membership.legacy_number = membership.number
            membership.number = None
            membership.status = Membership.Status.ACTIVE
            membership.joined_on, membership.left_on = today, None
            membership.save()
        membership_assign_number(membership=membership)
        app.applicant.groups.add(Group.objects.get(name=roles.MEMBER))
        app.applicant.__dict__.pop("_group_names_cache", None)
    return membership


def application_decide(*, application, actor, decision: str, reason: str, expected_status: str):
    """A reviewer's decision: ``approve``, ``reject`` or ``return`` (for revision), each
    with a reason. The row is locked and ``expected_status`` checked, so of two reviewers
    acting at once one wins and the other is told what happened."""
    from .models import Application, ApplicationObjection
    from .permissions import application_policy

    S = Application.Status
    reason = (reason or "").strip()
    if decision not in ("approve", "reject", "return"):
        raise ValidationError(_("Choose a decision."), code="bad_decision")
    if not reason:
        raise ValidationError(
            {"reason": _("Please give the reason for your decision.")}, code="reason_required"
        )
    with transaction.atomic(), set_actor(actor):
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("association", "applicant")
            .get(pk=application.pk)
        )
        if app.status != expected_status:
            raise _already_handled_error(app)
        if not application_policy.can(actor, "review", app):
            raise PermissionDenied
        from_status = app.status
        today = timezone.localdate()
        if decision == "reject":
            app.status = S.REJECTED
        elif decision == "return":
            if from_status == S.PUBLIC_NOTICE:
                raise ValidationError(
                    _("During the public notice an application can only be approved or rejected."),
                    code="bad_decision",
                )
            app.status = S.RETURNED
        elif from_status == S.ASSOCIATION_REVIEW:
            app.status = S.FEDERATION_REVIEW
        elif from_status == S.FEDERATION_REVIEW and app.association.public_notice_enabled:
            app.status = S.PUBLIC_NOTICE
            app.notice_starts_on = today
            app.notice_ends_on = notice_end_date(today, app.association.public_notice_days)
        else:
            if from_status == S.PUBLIC_NOTICE:
                if today <= app.notice_ends_on:
                    raise ValidationError(
                        _(
                            "The public notice runs until %(date)s; final approval is possible "
                            "after that day."
                        ),
                        code="notice_running",
                        params={"date": formats.date_format(app.notice_ends_on, "DATE_FORMAT")},
                    )
                if app.objections.filter(outcome=ApplicationObjection.Outcome.PENDING).exists():
                    raise ValidationError(
                        _("Record the outcome of every objection before the final approval."),
                        code="objection_pending",
                    )
            app.status = S.APPROVED
        if app.status in (S.APPROVED, S.REJECTED):
            app.decided_at = timezone.now()
        if app.status == S.APPROVED:
            app.membership = membership_grant(application=app, actor=actor)
        app.save()
        _record_step(app, actor=actor, from_status=from_status, reason=reason)
        with translation.override(settings.LANGUAGE_CODE):
            values = {"association": app.association.name, "reason": reason}
            if app.status == S.APPROVED:
                text = _(
                    "Congratulations! You have been admitted to %(association)s. Your member "
                    "number is %(number)s."
                ) % {**values, "number": app.membership.number}
            elif app.status == S.REJECTED:
                text = (
                    _("Your application to %(association)s has been rejected. Reason: %(reason)s")
                    % values
                )
            elif app.status == S.RETURNED:
                text = (
                    _(
                        "Your application to %(association)s has been returned for revision. "
                        "Reason: %(reason)s. Please change it and submit it again."
                    )
                    % values
                )
            elif app.status == S.PUBLIC_NOTICE:
                text = _(
                    "Your application to %(association)s has been approved by the federation "
                    "and is on public notice until %(date)s; then it is finally approved."
                ) % {**values, "date": formats.date_format(app.notice_ends_on, "DATE_FORMAT")}
            else:
                text = (
                    _(
                        "The association has approved your application to %(association)s; it is "
                        "now waiting for the federation's review."
                    )
                    % values
                )
            _notify_applicant(app, text)
            _notify_reviewers(app)
    return app


def objection_file(*, application, name: str, contact: str, content: str, evidence=None):
    """Anyone may object to a candidate during the public notice, with a real name, a
    contact and evidence; anonymous or late objections are refused."""
    from .models import Application, ApplicationObjection

    name, contact, content = (name or "").strip(), (contact or "").strip(), (content or "").strip()
    with transaction.atomic():
        app = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        today = timezone.localdate()
        if (
            app.status != Application.Status.PUBLIC_NOTICE
            or app.notice_ends_on is None
            or not (app.notice_starts_on <= today <= app.notice_ends_on)
        ):
            raise ValidationError(
                _(
                    "The public notice of this candidate is not running; objections can be "
                    "filed only during the notice period."
                ),
                code="closed",
            )
        errors = {}
        if not name:
            errors["name"] = _("Anonymous objections are not accepted: give your real name.")
        if not contact:
            errors["contact"] = _("Give a telephone number or address where we can reach you.")
        if not content:
            errors["content"] = _("Describe your objection and the evidence for it.")
        if errors:
            raise ValidationError(errors, code="incomplete")
        objection = ApplicationObjection(
            application=app, name=name, contact=contact, content=content
        )
        if evidence is not None:
            objection.evidence.save(evidence.name, evidence, save=False)
        objection.save()
    return objection


def objection_resolve(*, objection, actor, outcome: str, reason: str):
    """Staff record the outcome of an objection; an upheld objection rejects the
    application."""
    from accounts.roles import is_federation_staff

    from .models import Application, ApplicationObjection

    Outcome = ApplicationObjection.Outcome
    reason = (reason or "").strip()
    if not is_federation_staff(actor):
        raise PermissionDenied
    if outcome not in (Outcome.UPHELD, Outcome.DISMISSED):
        raise ValidationError(_("Choose an outcome."), code="bad_outcome")
    if not reason:
        raise ValidationError(
            {"reason": _("Please give the reason for the outcome.")}, code="reason_required"
        )
    with transaction.atomic(), set_actor(actor):
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("association", "applicant")
            .get(pk=objection.application_id)
        )
        obj = ApplicationObjection.objects.select_for_update().get(pk=objection.pk)
        if obj.outcome != Outcome.PENDING or app.status != Application.Status.PUBLIC_NOTICE:
            raise ValidationError(
                _("This objection has already been decided. Please refresh the page."),
                code="conflict",
            )
        obj.outcome, obj.outcome_reason = outcome, reason
        obj.decided_by, obj.decided_at = actor, timezone.now()
        obj.save()
        if outcome == Outcome.UPHELD:
            from_status = app.status
            app.status = Application.Status.REJECTED
            app.decided_at = timezone.now()
            app.save()
            with translation.override(settings.LANGUAGE_CODE):
                text = _("An objection during the public notice was upheld: %(reason)s") % {
                    "reason": reason
                }
                _record_step(app, actor=actor, from_status=from_status, reason=text)
                _notify_applicant(
                    app,
                    _("Your application to %(association)s has been rejected. Reason: %(reason)s")
                    % {"association": app.association.name, "reason": text},
                )
    return obj


def application_notices_mark_read(*, user, application) -> int:
    from .models import ApplicationNotice

    return ApplicationNotice.objects.filter(
        user=user, application=application, read_at__isnull=True
    ).update(read_at=timezone.now())


# == Identity change requests and discipline (MEM-05, MEM-06) — "records" ==================
# A member asks to change identity fields (name, ID number, gender, birth date, ethnic group);
# federation staff approve (the change is applied to Person) or reject. Discipline decisions
# and voluntary withdrawal change a membership's status; the history is never deleted.

RECORDS_CHANGE_KIND = "member_identity_change"
RECORDS_DISCIPLINE_KIND = "member_discipline"
SELF_WITHDRAWAL_DECIDER = "本人申请"  # stored data, Chinese by nature


def discipline_transitions() -> dict:
    """kind -> (statuses it may be recorded from, status afterwards; None = unchanged)."""
    from .models import DisciplineDecision, Membership

    K, S = DisciplineDecision.Kind, Membership.Status
    current = (S.ACTIVE, S.SUSPENDED)
    return {
        K.CRITICISM: (current, None),
        K.WARNING: (current, None),
        K.REFERRAL: (tuple(S), None),
        K.SUSPENSION: ((S.ACTIVE,), S.SUSPENDED),
        K.EXPULSION: (current, S.EXPELLED),
        K.WITHDRAWAL: (current, S.WITHDRAWN),
        # 视为自动退会 (MEM-07): decided by a person from the staff review list.
        K.LAPSE: (current, S.LAPSED),
        K.REINSTATEMENT: ((S.SUSPENDED,), S.ACTIVE),
    }


def _records_notify(*, user, title: str, body: str, url: str, kind: str, obj_key: str):
    """Tell a member about a decision (inbox + e-mail) once per decision."""
    from notifications.services import notify

    if user is None or not user.is_active:
        return None
    return notify(
        recipient=user,
        kind=kind,
        title=title,
        body=body,
        url=url,  # a path on this site: the inbox links it, e-mails make it absolute
        obj_key=obj_key,
        period="decision",
    )


def _identity_errors(*, person, new_name, new_gender, new_birth_date, new_ethnic_group, new_id):
    """Check the requested identity values against each other and the current record.

    Returns ``(changes, errors)``: ``changes`` holds only the values that differ from the
    current record (the ID number normalised); ``errors`` maps form fields to messages."""
    from .models import Person

    errors: dict[str, list] = {}
    changes: dict = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if new_name:
        cleaned = clean_name(new_name)
        if not cleaned:
            add("new_name", _("Write the new name in full."), "invalid")
        elif cleaned != person.name:
            changes["name"] = cleaned
    if new_gender and new_gender != person.gender:
        changes["gender"] = new_gender
    if new_birth_date and new_birth_date != person.birth_date:
        changes["birth_date"] = new_birth_date
    if new_ethnic_group is not None and new_ethnic_group.pk != person.ethnic_group_id:
        changes["ethnic_group"] = new_ethnic_group
    info = None
    if new_id:
        try:
            info = idcard.validate_id_number(new_id)
        except ValidationError as exc:
            add("new_id_number", exc.messages[0], exc.code or "invalid")
        else:
            if info.number != (person.id_number or ""):
                changes["id_number"] = info.number
                digest = idcard.id_blind_index(info.number, settings.ID_HASH_KEY)
                if Person.objects.filter(id_hash=digest).exclude(pk=person.pk).exists():
                    add(
                        "new_id_number",
                        _(
                            "This ID number is already registered for another person, so it "
                            "cannot be given to your record. Check the number; if it is really "
                            "yours, please contact the federation office."
                        ),
                        "duplicate",
                    )
    if info is None and not new_id and person.id_number and not errors:
        try:
            info = idcard.validate_id_number(person.id_number)
        except ValidationError:
            info = None
    if info is not None and "new_id_number" not in errors:
        birth = changes.get("birth_date", person.birth_date)
        gender = changes.get("gender", person.gender)
        try:
            idcard.check_id_matches(info, birth_date=birth, gender=gender)
        except ValidationError as exc:
            if exc.code == "birth_date_mismatch":
                field = "new_birth_date" if "birth_date" in changes else "new_id_number"
            else:
                field = "new_gender" if "gender" in changes else "new_id_number"
            add(field, exc.messages[0], exc.code)
    return changes, errors


def change_request_file(
    *,
    person,
    actor,
    reason: str,
    new_name: str = "",
    new_gender: str = "",
    new_birth_date=None,
    new_ethnic_group=None,
    new_id_number: str = "",
    evidence=None,
):
    """A member asks for a change of their own identity details (MEM-05).

    Only the person's own account may file; one request may be pending at a time. The new
    ID number is checked fully (length, date, checksum, agreement with the birth date and
    gender, not registered for someone else). ``evidence`` is an already sanitised file.
    Raises ``ValidationError`` (a dict by form field) and stores nothing on failure."""
    from .models import IdentityChangeRequest, Person

    if not getattr(actor, "is_authenticated", False) or person.user_id != actor.pk:
        raise PermissionDenied
    reason = (reason or "").strip()
    new_id_number = idcard.normalize_id_number(new_id_number) if new_id_number else ""
    with transaction.atomic(), set_actor(actor):
        locked = Person.objects.select_for_update().select_related("ethnic_group").get(pk=person.pk)
        if IdentityChangeRequest.objects.filter(
            person=locked, status=IdentityChangeRequest.Status.PENDING
        ).exists():
            raise ValidationError(
                _(
                    "You already have a change request waiting for the federation office. "
                    "Wait for its decision before asking for another change."
                ),
                code="pending_exists",
            )
        changes, errors = _identity_errors(
            person=locked,
            new_name=new_name,
            new_gender=new_gender,
            new_birth_date=new_birth_date,
            new_ethnic_group=new_ethnic_group,
            new_id=new_id_number,
        )
        if not reason:
            errors.setdefault("reason", []).append(
                ValidationError(
                    _("Explain why the details should be changed."), code="reason_required"
                )
            )
        if not changes and not errors:
            raise ValidationError(
                _(
                    "The request changes nothing: fill in at least one detail that differs "
                    "from your current record."
                ),
                code="no_change",
            )
        if errors:
            raise ValidationError(errors)
        request = IdentityChangeRequest(
            person=locked,
            requested_by=actor,
            new_name=changes.get("name", ""),
            new_gender=changes.get("gender", ""),
            new_birth_date=changes.get("birth_date"),
            new_ethnic_group=changes.get("ethnic_group"),
            new_id_number=changes.get("id_number", ""),
            new_id_masked=idcard.mask_id_number(changes["id_number"])
            if "id_number" in changes
            else "",
            reason=reason,
        )
        if evidence is not None:
            request.evidence.save(evidence.name, evidence, save=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:
            if request.evidence:
                request.evidence.storage.delete(request.evidence.name)
            raise ValidationError(
                _(
                    "You already have a change request waiting for the federation office. "
                    "Wait for its decision before asking for another change."
                ),
                code="pending_exists",
            ) from exc
    return request


def change_request_decide(*, change_request, actor, decision: str, reason: str):
    """Federation staff approve or reject an identity change request, with a reason.

    Approval applies the changes to the Person in the same transaction (ID number through
    ``identity_values``, name through ``name_values``), audited with ``actor``; the member
    is notified either way. A request decided meanwhile raises ``ValidationError``."""
    from accounts.roles import is_federation_staff

    from .models import IdentityChangeRequest, Person

    if not is_federation_staff(actor):
        raise PermissionDenied
    S = IdentityChangeRequest.Status
    reason = (reason or "").strip()
    if decision not in ("approve", "reject"):
        raise ValidationError({"decision": _("Choose approve or reject.")}, code="bad_decision")
    if not reason:
        raise ValidationError(
            {"reason": _("Please give the reason for your decision.")}, code="reason_required"
        )
    with transaction.atomic(), set_actor(actor):
        req = (
            IdentityChangeRequest.objects.select_for_update(of=("self",))
            .select_related("decided_by")
            .get(pk=change_request.pk)
        )
        if req.status != S.PENDING:
            who = req.decided_by.get_full_name() if req.decided_by else _("the system")
            raise ValidationError(
                _(
                    "This request has already been decided by %(who)s (%(status)s). Please "
                    "refresh the page."
                ),
                code="conflict",
                params={"who": who, "status": req.get_status_display()},
            )
        person = Person.objects.select_for_update().get(pk=req.person_id)
        if decision == "approve":
            changes, errors = _identity_errors(
                person=person,
                new_name=req.new_name,
                new_gender=req.new_gender,
                new_birth_date=req.new_birth_date,
                new_ethnic_group=req.new_ethnic_group,
                new_id=req.new_id_number or "",
            )
            if errors:
                messages = [e.messages[0] for errs in errors.values() for e in errs]
                raise ValidationError(
                    _("The change cannot be applied: %(problems)s Reject the request instead.")
                    % {"problems": " ".join(messages)},
                    code="cannot_apply",
                )
            if "name" in changes:
                for field, value in name_values(changes.pop("name")).items():
                    setattr(person, field, value)
            if "id_number" in changes:
                for field, value in identity_values(changes.pop("id_number")).items():
                    setattr(person, field, value)
            for field, value in changes.items():
                setattr(person, field, value)
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError as exc:
                raise ValidationError(
                    _(
                        "This ID number is already registered for another person; the change "
                        "cannot be applied."
                    ),
                    code="duplicate",
                ) from exc
            req.status = S.APPROVED
        else:
            req.status = S.REJECTED
        req.decided_by, req.decided_at, req.decision_reason = actor, timezone.now(), reason
        req.save()
        with translation.override(settings.LANGUAGE_CODE):
            if req.status == S.APPROVED:
                title = _("Your identity change request has been approved")
                body = _("The federation office has changed your record. Note: %(reason)s") % {
                    "reason": reason
                }
            else:
                title = _("Your identity change request has been rejected")
                body = _("Your record was not changed. Reason: %(reason)s") % {"reason": reason}
            _records_notify(
                user=person.user,
                title=str(title),
                body=body,
                url=reverse("me:changes"),
                kind=RECORDS_CHANGE_KIND,
                obj_key=f"identity_change:{req.pk}",
            )
    return req


def _discipline_error(membership, kind) -> ValidationError:
    from .models import DisciplineDecision

    return ValidationError(
        _(
            "A decision “%(kind)s” cannot be recorded for this membership: its current status "
            "is “%(status)s”."
        ),
        code="bad_transition",
        params={
            "kind": DisciplineDecision.Kind(kind).label,
            "status": membership.get_status_display(),
        },
    )


def discipline_record(
    *,
    membership,
    actor,
    kind: str,
    reason: str,
    decided_on,
    decider: str,
    council_resolution: str = "",
    attachment=None,
    self_service: bool = False,
):
    """Record a discipline or exit decision on a membership (MEM-06); status follows.

    Federation staff may record on any membership, an association's secretary on that
    association's memberships only; with ``self_service`` the member withdraws from their
    own membership. An expulsion needs the council vote; impossible transitions (e.g.
    suspending an expelled member) are refused naming the current status. Expulsion and
    withdrawal set ``left_on`` (the date the re-application bar counts from); the member
    number stays on the membership. The member is notified once."""
    from .models import DisciplineDecision, Membership
    from .selectors import can_record_discipline

    K = DisciplineDecision.Kind
    if self_service:
        if membership.person.user_id is None or membership.person.user_id != actor.pk:
            raise PermissionDenied
        if kind != K.WITHDRAWAL:
            raise PermissionDenied
    elif not can_record_discipline(actor, membership):
        raise PermissionDenied
    reason, decider = (reason or "").strip(), (decider or "").strip()
    council_resolution = (council_resolution or "").strip()
    errors: dict[str, list] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if kind not in K.values:
        add("kind", _("Choose the kind of decision."), "bad_kind")
    if not reason:
        add("reason", _("Give the reason for the decision."), "required")
    if not decider:
        add("decider", _("Name the body that took the decision."), "required")
    if decided_on is None:
        add("decided_on", _("Give the date of the decision."), "required")
    else:
        if decided_on > timezone.localdate():
            add("decided_on", _("The date of the decision cannot be in the future."), "future")
        if decided_on < membership.joined_on:
            add(
                "decided_on",
                _("The date of the decision cannot be before the date of joining (%(date)s).")
                % {"date": formats.date_format(membership.joined_on, "DATE_FORMAT")},
                "before_joining",
            )
    if kind == K.EXPULSION and not council_resolution:
        add(
            "council_resolution",
            _(
                "An expulsion needs a vote of the association council: give the date and the "
                "result of the vote."
            ),
            "council_required",
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("person", "person__user", "association")
            .get(pk=membership.pk)
        )
        allowed, after = discipline_transitions()[kind]
        if locked.status not in allowed or (
            self_service and locked.status != Membership.Status.ACTIVE
        ):
            raise _discipline_error(locked, kind)
        before = locked.status
        if after is not None:
            locked.status = after
            if after in (
                Membership.Status.EXPELLED,
                Membership.Status.WITHDRAWN,
                Membership.Status.LAPSED,
            ):
                locked.left_on = decided_on
            elif after == Membership.Status.ACTIVE:
                locked.left_on = None
            locked.save(update_fields=["status", "left_on", "updated_at"])
        decision = DisciplineDecision(
            membership=locked,
            kind=kind,
            reason=reason,
            decided_on=decided_on,
            decider=decider,
            council_resolution=council_resolution,
            recorded_by=actor,
            status_before=before,
            status_after=locked.status,
        )
        if attachment is not None:
            decision.attachment.save(attachment.name, attachment, save=False)
        decision.save()
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Decision on your membership of %(association)s: %(kind)s") % {
                "association": locked.association.name,
                "kind": decision.get_kind_display(),
            }
            body = _(
                "Date: %(date)s. Decided by: %(decider)s. Reason: %(reason)s. Membership "
                "status now: %(status)s."
            ) % {
                "date": formats.date_format(decided_on, "DATE_FORMAT"),
                "decider": decider,
                "reason": reason,
                "status": locked.get_status_display(),
            }
            _records_notify(
                user=locked.person.user,
                title=title,
                body=body,
                url=reverse("me:records"),
                kind=RECORDS_DISCIPLINE_KIND,
                obj_key=f"discipline:{decision.pk}",
            )
    return decision


def membership_withdraw(*, membership, actor, reason: str):
    """A member leaves an association of their own will (a withdrawal decision recorded by
    the member, decided by "本人申请", dated today)."""
    from .models import DisciplineDecision

    return discipline_record(
        membership=membership,
        actor=actor,
        kind=DisciplineDecision.Kind.WITHDRAWAL,
        reason=reason,
        decided_on=timezone.localdate(),
        decider=SELF_WITHDRAWAL_DECIDER,
        self_service=True,
    )
