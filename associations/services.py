"""Writes for associations. Every write is keyword-only, atomic and audited.

Governance rules of the reform plan (ORG-02, ORG-03) are enforced here, before the
database constraints that back them up; a broken rule raises ``ValidationError`` with a
code and a message that names the rule.

Periods are half-open: an office or term ends *on* its end date, the day a successor may
start; so a secretary's scope goes on the day the office ends.
"""

from __future__ import annotations

import datetime

from auditlog.context import set_actor
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts import roles

from . import conf
from .models import (
    BODY_ROLES,
    SENIOR_ROLES,
    Association,
    Body,
    ContactLog,
    DutyRegistration,
    Meeting,
    MeetingAttendance,
    Office,
    Role,
    Term,
)
from .permissions import MANAGE

# -- Secretary scope ------------------------------------------------------------------------


@transaction.atomic
def secretary_assign(*, user, association: Association, actor) -> None:
    """Give ``user`` the secretary scope on ``association`` (object permission)."""
    with set_actor(actor):
        user.groups.add(Group.objects.get(name=roles.SECRETARY))
        assign_perm(MANAGE, user, association)
    user.__dict__.pop("_managed_association_ids", None)
    user.__dict__.pop("_group_names_cache", None)


@transaction.atomic
def secretary_revoke(*, user, association: Association, actor) -> None:
    """Take the secretary scope on ``association`` away; the secretary role goes too when
    the user no longer manages any association."""
    from .models import AssociationUserObjectPermission

    with set_actor(actor):
        remove_perm(MANAGE, user, association)
        if not AssociationUserObjectPermission.objects.filter(
            user=user, permission__codename="manage_association"
        ).exists():
            user.groups.remove(*Group.objects.filter(name=roles.SECRETARY))
    user.__dict__.pop("_managed_association_ids", None)
    user.__dict__.pop("_group_names_cache", None)


def _gives_scope(office: Office) -> bool:
    return office.role == Role.SECRETARY_GENERAL and office.term.body == Body.COUNCIL


def _grant_scope(office: Office, actor) -> None:
    secretary_assign(user=office.person.user, association=office.term.association, actor=actor)


def _revoke_scope(office: Office, actor, today: datetime.date) -> None:
    """Revoke the scope an ended secretary-general office gave, unless the same person still
    holds another current secretary-general office of the same association."""
    user = office.person.user
    still_holds = (
        Office.objects.filter(
            person_id=office.person_id,
            role=Role.SECRETARY_GENERAL,
            term__body=Body.COUNCIL,
            term__association_id=office.term.association_id,
            starts_on__lte=today,
            ends_on__gt=today,
        )
        .exclude(pk=office.pk)
        .exists()
    )
    if user is not None and not still_holds:
        secretary_revoke(user=user, association=office.term.association, actor=actor)
    if office.pk is not None and office.scope_revoked_on is None:
        Office.objects.filter(pk=office.pk).update(scope_revoked_on=today)
        office.scope_revoked_on = today


# -- Terms ----------------------------------------------------------------------------------


def _d(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


@transaction.atomic
def term_create(
    *,
    body: str,
    number: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
    association: Association | None = None,
    notes: str = "",
) -> Term:
    """Open a term (届) of a body. Terms of one body never overlap."""
    if body not in Body.values:
        raise ValidationError(_("Unknown body."), code="term_unknown_body")
    if body == Body.COUNCIL and association is None:
        raise ValidationError(
            _("A council term belongs to an association: choose the association."),
            code="term_needs_association",
        )
    if body != Body.COUNCIL:
        association = None
    if ends_on <= starts_on:
        raise ValidationError(
            _("The end date (%(end)s) must be after the start date (%(start)s).")
            % {"end": _d(ends_on), "start": _d(starts_on)},
            code="term_end_before_start",
        )
    if association is not None:
        Association.objects.select_for_update().get(pk=association.pk)
    same_body = Term.objects.filter(body=body, association=association)
    if same_body.filter(number=number).exists():
        raise ValidationError(
            _("Term %(number)s of this body already exists.") % {"number": number},
            code="term_number_taken",
        )
    clash = same_body.filter(starts_on__lt=ends_on, ends_on__gt=starts_on).first()
    if clash is not None:
        raise ValidationError(
            _(
                "The dates overlap term %(number)s (%(start)s to %(end)s) of the same body; "
                "terms of one body follow each other."
            )
            % {"number": clash.number, "start": _d(clash.starts_on), "end": _d(clash.ends_on)},
            code="term_overlap",
        )
    term = Term(
        body=body,
        association=association,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    with set_actor(actor):
        try:
            with transaction.atomic():
                term.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("The term conflicts with another term of the same body."),
                code="term_conflict",
            ) from exc
    return term


# -- Offices --------------------------------------------------------------------------------


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _max_concurrent(periods: list[tuple[datetime.date, datetime.date]]) -> int:
    """Largest number of the half-open periods that run at the same moment."""
    events = []
    for start, end in periods:
        events.append((start, 1))
        events.append((end, -1))
    # At the same date an ending (-1) comes before a start (+1): half-open periods.
    events.sort(key=lambda e: (e[0], e[1]))
    current = best = 0
    for _day, step in events:
        current += step
        best = max(best, current)
    return best


def _limit_for(term: Term, role: str) -> int | None:
    if term.body == Body.COUNCIL:
        return conf.association_office_limits().get(role)
    if term.body == Body.PRESIDIUM:
        return conf.presidium_office_limits().get(role)
    return None


def _check_office(
    *,
    term: Term,
    person,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    cadre: bool,
    justification: str,
    exclude_pk: int | None = None,
) -> None:
    """Every rule of ORG-02/ORG-03 for one office; raises the first one broken."""
    if role not in BODY_ROLES[term.body]:
        raise ValidationError(
            _("A %(body)s has no office of %(role)s.")
            % {"body": term.get_body_display(), "role": Role(role).label},
            code="office_role_not_in_body",
        )
    if ends_on <= starts_on:
        raise ValidationError(
            _("The end date (%(end)s) must be after the start date (%(start)s).")
            % {"end": _d(ends_on), "start": _d(starts_on)},
            code="office_end_before_start",
        )
    if starts_on < term.starts_on or ends_on > term.ends_on:
        raise ValidationError(
            _("An office lies within its term: %(start)s to %(end)s.")
            % {"start": _d(term.starts_on), "end": _d(term.ends_on)},
            code="office_outside_term",
        )
    overlapping = Office.objects.filter(starts_on__lt=ends_on, ends_on__gt=starts_on)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    same_seat = overlapping.filter(term=term, person=person, role=role).first()
    if same_seat is not None:
        raise ValidationError(
            _(
                "%(person)s already holds the office of %(role)s in this term from %(start)s "
                "to %(end)s; the periods of one seat may not overlap."
            )
            % {
                "person": person.name,
                "role": Role(role).label,
                "start": _d(same_seat.starts_on),
                "end": _d(same_seat.ends_on),
            },
            code="office_seat_overlap",
        )
    limit = _limit_for(term, role)
    if limit is not None:
        periods = list(overlapping.filter(term=term, role=role).values_list("starts_on", "ends_on"))
        clipped = [(max(s, starts_on), min(e, ends_on)) for s, e in periods]
        if _max_concurrent(clipped) + 1 > limit:
            if term.body == Body.COUNCIL:
                rule = _(
                    "an association has 1 chair, 3 vice-chairs, 1 secretary-general and at "
                    "most 2 deputy secretaries-general"
                )
            else:
                rule = _("the presidium has 1 chair and at most 7 part-time vice-chairs")
            raise ValidationError(
                _(
                    "%(body)s already has %(limit)s %(role)s in office at that time (rule: "
                    "%(rule)s). End one of those offices first."
                )
                % {"body": str(term), "limit": limit, "role": Role(role).label, "rule": rule},
                code="office_limit",
            )
    if term.body == Body.COUNCIL and role in (Role.CHAIR, Role.VICE_CHAIR):
        other = (
            overlapping.filter(
                person=person,
                role__in=[Role.CHAIR, Role.VICE_CHAIR],
                term__body=Body.COUNCIL,
            )
            .exclude(term__association_id=term.association_id)
            .select_related("term__association")
            .first()
        )
        if other is not None:
            raise ValidationError(
                _(
                    "%(person)s is already %(role)s of %(other)s from %(start)s to %(end)s; "
                    "nobody may be chair or vice-chair of two associations at once."
                )
                % {
                    "person": person.name,
                    "role": other.get_role_display(),
                    "other": other.term.association.name,
                    "start": _d(other.starts_on),
                    "end": _d(other.ends_on),
                },
                code="office_cross_association",
            )
    if role == Role.PART_TIME_VICE_CHAIR:
        earlier = (
            Office.objects.filter(
                person=person, role=Role.PART_TIME_VICE_CHAIR, term__body=Body.PRESIDIUM
            )
            .exclude(term=term)
            .select_related("term")
            .first()
        )
        if earlier is not None:
            raise ValidationError(
                _(
                    "%(person)s was already a part-time vice-chair of the presidium in term "
                    "%(number)s; a part-time vice-chair serves at most one term."
                )
                % {"person": person.name, "number": earlier.term.number},
                code="office_part_time_second_term",
            )
    if role in SENIOR_ROLES and not justification.strip():
        limit_age = conf.officer_age_limit()
        over_age = person.birth_date and age_on(person.birth_date, starts_on) > limit_age
        if cadre or over_age:
            reason = (
                _("is a party or government cadre")
                if cadre
                else _("is over %(age)s on the start date") % {"age": limit_age}
            )
            raise ValidationError(
                _(
                    "%(person)s %(reason)s: an appointment as %(role)s needs a recorded "
                    "justification. Enter it and save again."
                )
                % {"person": person.name, "reason": reason, "role": Role(role).label},
                code="office_justification_required",
            )
    if term.body == Body.COUNCIL and role == Role.SECRETARY_GENERAL and person.user_id is None:
        raise ValidationError(
            _(
                "%(person)s has no login account, so the secretary's access to the association "
                "cannot be given. Create or link an account for this person first."
            )
            % {"person": person.name},
            code="office_secretary_without_account",
        )


def _lock(term: Term, person):
    """Serialise appointments: the term row (per-term counts) and the person row (the
    cross-association and one-term rules)."""
    from members.models import Person

    term = (
        Term.objects.select_for_update(of=("self",)).select_related("association").get(pk=term.pk)
    )
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    return term, person


@transaction.atomic
def office_appoint(
    *,
    term: Term,
    person,
    role: str,
    actor,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    part_time: bool = False,
    cadre: bool = False,
    justification: str = "",
    today: datetime.date | None = None,
) -> Office:
    """Appoint ``person`` to ``role`` in ``term`` (by default for the whole term). A current
    secretary-general of an association council gets the secretary scope at once."""
    today = today or timezone.localdate()
    term, person = _lock(term, person)
    starts_on = starts_on or term.starts_on
    ends_on = ends_on or term.ends_on
    if role == Role.PART_TIME_VICE_CHAIR:
        part_time = True
    _check_office(
        term=term,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        cadre=cadre,
        justification=justification,
    )
    office = Office(
        term=term,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        part_time=part_time,
        cadre=cadre,
        justification=justification.strip(),
    )
    with set_actor(actor):
        try:
            with transaction.atomic():
                office.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("The office conflicts with another office of the same term."),
                code="office_conflict",
            ) from exc
    if _gives_scope(office):
        if office.active_on(today):
            _grant_scope(office, actor)
        elif office.ends_on <= today:
            # Recorded after the fact: no scope to give.
            Office.objects.filter(pk=office.pk).update(scope_revoked_on=today)
    return office


@transaction.atomic
def office_end(
    *,
    office: Office,
    ends_on: datetime.date,
    actor,
    reason: str = "",
    today: datetime.date | None = None,
) -> Office:
    """End an office early, on ``ends_on``. When that is today or earlier, a secretary's
    scope goes at once."""
    today = today or timezone.localdate()
    term, _person = _lock(office.term, office.person)
    office = (
        Office.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=office.pk)
    )
    office.term = term
    if ends_on <= office.starts_on:
        raise ValidationError(
            _("The end date (%(end)s) must be after the start date (%(start)s).")
            % {"end": _d(ends_on), "start": _d(office.starts_on)},
            code="office_end_before_start",
        )
    if ends_on > office.ends_on:
        raise ValidationError(
            _(
                "An office can only be ended earlier than %(end)s; to extend it, appoint the "
                "person again from that date."
            )
            % {"end": _d(office.ends_on)},
            code="office_end_extends",
        )
    office.ends_on = ends_on
    office.ended_reason = reason.strip()
    with set_actor(actor):
        office.save(update_fields=["ends_on", "ended_reason"])
        if _gives_scope(office) and ends_on <= today:
            _revoke_scope(office, actor, today)
    return office


@transaction.atomic
def office_remove(*, office: Office, actor, today: datetime.date | None = None) -> None:
    """Delete an office recorded in error (the audit log keeps it). A secretary's scope that
    came from it goes at once."""
    today = today or timezone.localdate()
    term, _person = _lock(office.term, office.person)
    office = (
        Office.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=office.pk)
    )
    office.term = term
    gives_scope = _gives_scope(office) and office.scope_revoked_on is None
    with set_actor(actor):
        office.delete()
        if gives_scope:
            _revoke_scope(office, actor, today)


@transaction.atomic
def offices_expire(*, today: datetime.date, actor=None) -> int:
    """Daily job: revoke the secretary scope of every secretary-general office that has
    ended by ``today``; idempotent. Returns the number of offices handled."""
    due = list(
        Office.objects.select_for_update(of=("self",))
        .filter(
            role=Role.SECRETARY_GENERAL,
            term__body=Body.COUNCIL,
            ends_on__lte=today,
            scope_revoked_on__isnull=True,
        )
        .select_related("term__association", "person__user")
    )
    for office in due:
        _revoke_scope(office, actor, today)
    return len(due)


@transaction.atomic
def offices_start(*, today: datetime.date, actor=None) -> int:
    """Daily job: give the secretary scope for secretary-general offices that have begun by
    ``today`` (appointed ahead of time); idempotent. Returns the number of grants made."""
    from .models import AssociationUserObjectPermission

    current = (
        Office.objects.filter(
            role=Role.SECRETARY_GENERAL,
            term__body=Body.COUNCIL,
            starts_on__lte=today,
            ends_on__gt=today,
            person__user__isnull=False,
        )
        .select_related("term__association", "person__user")
        .order_by("id")
    )
    granted = set(
        AssociationUserObjectPermission.objects.filter(
            permission__codename="manage_association"
        ).values_list("user_id", "content_object_id")
    )
    count = 0
    for office in current:
        if (office.person.user_id, office.term.association_id) not in granted:
            _grant_scope(office, actor)
            count += 1
    return count


# -- Meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    term: Term,
    held_on: datetime.date,
    title: str,
    present_person_ids: list[int],
    actor,
    decisions: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting of a body. Its members are the office holders on the day; the quorum
    (two thirds) is computed from them."""
    if not (term.starts_on <= held_on < term.ends_on):
        raise ValidationError(
            _("The meeting date lies outside the term (%(start)s to %(end)s).")
            % {"start": _d(term.starts_on), "end": _d(term.ends_on)},
            code="meeting_outside_term",
        )
    holders = dict(
        Office.objects.filter(term=term, starts_on__lte=held_on, ends_on__gt=held_on)
        .order_by("person_id")
        .values_list("person_id", "person__name")
        .distinct()
    )
    if not holders:
        raise ValidationError(
            _("The body had no office holders on that day; record its offices first."),
            code="meeting_no_members",
        )
    strangers = set(present_person_ids) - set(holders)
    if strangers:
        raise ValidationError(
            _("Only office holders of this term can be marked present."),
            code="meeting_not_member",
        )
    present = set(present_person_ids)
    meeting = Meeting(
        term=term,
        held_on=held_on,
        title=title.strip(),
        decisions=decisions.strip(),
        minutes=minutes.strip(),
        expected=len(holders),
        present=len(present),
    )
    with set_actor(actor):
        meeting.save()
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, person_id=pid, present=pid in present)
            for pid in holders
        )
    return meeting


# -- Duty registration (ORG-05) -------------------------------------------------------------


def _holds_office_in_year(person, year: int) -> bool:
    return Office.objects.filter(
        person=person,
        term__body__in=[Body.COUNCIL, Body.PRESIDIUM, Body.COMMITTEE],
        starts_on__lt=datetime.date(year + 1, 1, 1),
        ends_on__gt=datetime.date(year, 1, 1),
    ).exists()


@transaction.atomic
def duty_register(*, person, year: int, text: str, actor) -> DutyRegistration:
    """File (or update) an office holder's duty registration for ``year``."""
    text = text.strip()
    if not text:
        raise ValidationError(
            _("Describe what you did in your office this year."), code="duty_empty"
        )
    if not _holds_office_in_year(person, year):
        raise ValidationError(
            _("You held no office in %(year)s, so there is nothing to register.") % {"year": year},
            code="duty_no_office",
        )
    with set_actor(actor):
        registration, created = DutyRegistration.objects.select_for_update().get_or_create(
            person=person, year=year, defaults={"text": text}
        )
        if not created and registration.text != text:
            registration.text = text
            registration.save(update_fields=["text"])
    return registration


# -- Contact log (ORG-10) -------------------------------------------------------------------


@transaction.atomic
def contact_log(
    *,
    association: Association,
    membership,
    contacted_on: datetime.date,
    channel: str,
    topic: str,
    actor,
    problem: str = "",
    resolution: str = "",
    today: datetime.date | None = None,
) -> ContactLog:
    """Log a contact of an association cadre with one of its own members."""
    today = today or timezone.localdate()
    if membership.association_id != association.id:
        raise ValidationError(
            _("That person is not a member of this association."), code="contact_other_member"
        )
    if contacted_on > today:
        raise ValidationError(
            _("The date of the contact cannot be in the future."), code="contact_future"
        )
    if not topic.strip():
        raise ValidationError(_("Enter the topic of the contact."), code="contact_no_topic")
    entry = ContactLog(
        association=association,
        membership=membership,
        contacted_on=contacted_on,
        channel=channel,
        topic=topic.strip(),
        problem=problem.strip(),
        resolution=resolution.strip(),
        logged_by=actor,
    )
    with set_actor(actor):
        entry.full_clean()
        entry.save()
    return entry


# -- Appraisal (ORG-08) ---------------------------------------------------------------------


def _appraisal_for_update(association: Association, year: int):
    from .models import Appraisal

    appraisal, _created = Appraisal.objects.select_for_update().get_or_create(
        association=association, year=year
    )
    if appraisal.status == Appraisal.Status.FINAL:
        raise ValidationError(
            _("The %(year)s appraisal of %(association)s is final and can no longer change.")
            % {"year": year, "association": association.name},
            code="appraisal_final",
        )
    return appraisal


@transaction.atomic
def appraisal_set_survey(
    *,
    association: Association,
    year: int,
    awareness: int,
    participation: int,
    satisfaction: int,
    actor,
):
    """Staff enter the survey figures (0–100) of an association's yearly appraisal."""
    for value in (awareness, participation, satisfaction):
        if value is None or not 0 <= value <= 100:
            raise ValidationError(
                _("Survey figures are percentages between 0 and 100."),
                code="appraisal_survey_range",
            )
    appraisal = _appraisal_for_update(association, year)
    appraisal.awareness, appraisal.participation, appraisal.satisfaction = (
        awareness,
        participation,
        satisfaction,
    )
    with set_actor(actor):
        appraisal.save()
    return appraisal


@transaction.atomic
def appraisal_sign(*, association: Association, year: int, actor):
    """The association's secretary signs off the appraisal draft."""
    appraisal = _appraisal_for_update(association, year)
    appraisal.status = appraisal.Status.SIGNED
    appraisal.signed_by = actor
    appraisal.signed_at = timezone.now()
    with set_actor(actor):
        appraisal.save()
    return appraisal


@transaction.atomic
def appraisal_finalise(*, association: Association, year: int, actor):
    """Staff finalise a signed-off appraisal: its metrics and score are frozen."""
    from . import appraisal as scoring
    from .models import Appraisal

    appraisal = _appraisal_for_update(association, year)
    if appraisal.status != Appraisal.Status.SIGNED:
        raise ValidationError(
            _("The secretary of %(association)s has not signed off the appraisal yet.")
            % {"association": association.name},
            code="appraisal_not_signed",
        )
    if None in (appraisal.awareness, appraisal.participation, appraisal.satisfaction):
        raise ValidationError(
            _("Enter the awareness, participation and satisfaction figures first."),
            code="appraisal_no_survey",
        )
    ids = list(
        Association.objects.exclude(status=Association.Status.DISSOLVED).values_list(
            "id", flat=True
        )
    )
    values = scoring.compute_metrics(association_ids=ids, year=year)
    surveys = Appraisal.objects.filter(year=year, association_id__in=ids).values_list(
        "association_id", *scoring.SURVEY_KEYS
    )
    for association_id, *figures in surveys:
        values[association_id].update(zip(scoring.SURVEY_KEYS, figures, strict=True))
    appraisal.metrics = values[association.id]
    appraisal.score = scoring.score_all(values)[association.id]
    appraisal.status = Appraisal.Status.FINAL
    appraisal.finalised_by = actor
    appraisal.finalised_at = timezone.now()
    with set_actor(actor):
        appraisal.save()
    return appraisal


def congress_export_log(*, actor, congress, rows: int):
    """Exports of delegates' personal data are logged like member exports (X-03): one
    ACCESS audit entry with who, when and how many rows."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(congress),
        object_pk=str(congress.pk),
        object_id=congress.pk,
        object_repr=str(congress),
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"event": "congress_export", "rows": rows},
    )
