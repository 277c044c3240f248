"""Reads of member data, already scoped to the viewer."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Count, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext

from associations.models import Association
from associations.permissions import policy as association_policy

from .models import Membership, Person


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("ethnic_group", "town", "political_status", "education")
        .filter(user=user)
        .first()
    )


def memberships_of(person: Person):
    return person.memberships.select_related("association").order_by("association__sort_order")


def association_overview(*, viewer):
    """Associations visible to the viewer, each with its active member count (one query)."""
    return (
        association_policy.visible_to(viewer, Association.objects.all())
        .annotate(active_members=_active_member_count())
        .select_related("art_category")
    )


def _active_member_count():
    """Per-association count of active memberships as a correlated subquery: an index-only
    scan of membership_assoc_status_idx per association instead of joining every
    membership row (3x faster at 100,000 members)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        Membership.objects.filter(association_id=OuterRef("pk"), status="active")
        .order_by()
        .values("association_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def recent_members(*, association: Association, limit: int = 10):
    return (
        Membership.objects.filter(association=association)
        .select_related("person", "person__town", "person__ethnic_group")
        .order_by("-joined_on", "-id")[:limit]
    )


# -- Member database (MEM-08): scope, list, detail, audit history ---------------------------


def visible_memberships(viewer, queryset=None):
    """Memberships the viewer may see: staff all; a secretary those of the associations they
    manage (never the person's memberships elsewhere); anyone else none."""
    from accounts.roles import is_federation_staff
    from associations.permissions import managed_association_ids

    queryset = Membership.objects.all() if queryset is None else queryset
    if is_federation_staff(viewer):
        return queryset
    return queryset.filter(association_id__in=managed_association_ids(viewer))


class MembershipPolicy:
    """Scope of the member database; used with accounts.permissions.get_visible_or_404."""

    @staticmethod
    def visible_to(user, queryset=None):
        return visible_memberships(user, queryset)

    @staticmethod
    def can(user, action, obj=None):
        from accounts.roles import is_federation_staff
        from associations.permissions import managed_association_ids

        if is_federation_staff(user):
            return True
        if action == "list":
            return bool(managed_association_ids(user))
        if action == "view" and obj is not None:
            return obj.association_id in managed_association_ids(user)
        return False  # export (X-03), full ID numbers, other memberships, history: staff only


membership_policy = MembershipPolicy()


def member_list(*, viewer):
    """Rows of the member database (memberships with their person), scoped to the viewer;
    filtering and ordering are applied by members.filters.MemberFilter."""
    return visible_memberships(viewer).select_related(
        "person", "person__ethnic_group", "person__town", "association"
    )


def membership_detail_queryset():
    return Membership.objects.select_related(
        "association",
        "person",
        "person__ethnic_group",
        "person__town",
        "person__political_status",
        "person__education",
    )


def person_other_memberships(*, viewer, membership):
    """The person's memberships in other associations, scoped to the viewer (staff: all)."""
    return (
        visible_memberships(viewer, Membership.objects.filter(person_id=membership.person_id))
        .exclude(id=membership.id)
        .select_related("association")
        .order_by("association__sort_order")
    )


def person_audit_history(*, person, membership_ids, limit: int = 200):
    """Audit entries of a person and of the given memberships, newest first (one query)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Person, Membership)
    return (
        LogEntry.objects.filter(
            Q(content_type=types[Person], object_id=person.id)
            | Q(content_type=types[Membership], object_id__in=list(membership_ids))
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[:limit]
    )


# -- Certificates, public verification, photos, own record history (MEM-04, MEM-05) ---------


def certificate_memberships(*, viewer):
    """Memberships whose certificate the viewer may download: their own, those of the
    associations they manage as secretary, and (staff) all."""
    from accounts.roles import is_federation_staff
    from associations.permissions import managed_association_ids

    queryset = Membership.objects.select_related("person", "association")
    if not viewer.is_authenticated:
        return queryset.none()
    if is_federation_staff(viewer):
        return queryset
    return queryset.filter(
        Q(person__user=viewer) | Q(association_id__in=managed_association_ids(viewer))
    )


def photo_persons(*, viewer):
    """Persons whose photo the viewer may see: themself, members of the associations they
    manage as secretary, and (staff) everyone."""
    from django.db.models import Exists, OuterRef

    from accounts.roles import is_federation_staff
    from associations.permissions import managed_association_ids

    if not viewer.is_authenticated:
        return Person.objects.none()
    if is_federation_staff(viewer):
        return Person.objects.all()
    managed = Membership.objects.filter(
        person_id=OuterRef("pk"), association_id__in=managed_association_ids(viewer)
    )
    return Person.objects.filter(Q(user=viewer) | Exists(managed))


def verification_membership(*, membership_id: int) -> Membership | None:
    """The numbered membership a certificate QR code points at (public page)."""
    return (
        Membership.objects.select_related("person", "association")
        .filter(pk=membership_id, number__isnull=False)
        .first()
    )


def verification_lookup(*, number: str, name: str) -> Membership | None:
    """The membership with exactly this member number and holder's full name."""
    if not number or not name:
        return None
    return (
        Membership.objects.select_related("person", "association")
        .filter(number=number, person__name=name)
        .first()
    )


# Person fields never shown in a member's own change history: the ID number (in any form),
# search helpers and bookkeeping.
HISTORY_HIDDEN_FIELDS = frozenset(
    {
        "id",
        "id_number",
        "id_hash",
        "id_masked",
        "name_terms",
        "name_pinyin",
        "user",
        "created_at",
        "updated_at",
    }
)


def person_change_history(*, person, limit: int = 100) -> list[dict]:
    """The person's own record changes, newest first, ready to show to that person:
    ``[{"when", "by_self", "created", "changes": [{"label", "old", "new", "photo"}]}]``.

    The number of queries does not grow with the entries: one for the log entries, then
    at most one per reference list (town, ethnic group...) whose names are needed.
    """
    from auditlog.models import LogEntry
    from django.utils.translation import gettext

    from associations.models import Town

    from .models import EducationLevel, EthnicGroup, PoliticalStatus

    entries = list(
        LogEntry.objects.get_for_object(person)
        .filter(action__in=[LogEntry.Action.CREATE, LogEntry.Action.UPDATE])
        .order_by("-timestamp", "-id")[:limit]
    )
    related = {
        "town": Town,
        "ethnic_group": EthnicGroup,
        "political_status": PoliticalStatus,
        "education": EducationLevel,
    }
    wanted: dict[str, set[int]] = {name: set() for name in related}
    for entry in entries:
        if entry.action != LogEntry.Action.UPDATE:
            continue
        for name, values in (entry.changes_dict or {}).items():
            if name in related:
                wanted[name].update(int(v) for v in values if str(v).isdigit())
    names: dict[str, dict[int, str]] = {}
    for name, ids in wanted.items():
        names[name] = (
            dict(related[name].objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
        )

    def shown(name, raw):
        if raw in (None, "", "None"):
            return ""
        if name in related:
            return names[name].get(int(raw), "") if str(raw).isdigit() else ""
        field = Person._meta.get_field(name)
        if field.choices:
            return str(dict(field.choices).get(raw, raw))
        if field.get_internal_type() == "BooleanField":
            return gettext("Yes") if raw in (True, "True") else gettext("No")
        return str(raw)

    history = []
    for entry in entries:
        item = {
            "when": entry.timestamp,
            "by_self": entry.actor_id is not None and entry.actor_id == person.user_id,
            "by_system": entry.actor_id is None,
            "created": entry.action == LogEntry.Action.CREATE,
            "changes": [],
        }
        if not item["created"]:
            for name, values in (entry.changes_dict or {}).items():
                if name in HISTORY_HIDDEN_FIELDS:
                    continue
                try:
                    field = Person._meta.get_field(name)
                except Exception:  # noqa: BLE001 - a field removed since the entry was written
                    continue
                old, new = (list(values) + [None, None])[:2]
                item["changes"].append(
                    {
                        "label": str(field.verbose_name),
                        "photo": name == "photo",
                        "old": "" if name == "photo" else shown(name, old),
                        "new": "" if name == "photo" else shown(name, new),
                    }
                )
            if not item["changes"]:
                continue
        history.append(item)
    return history


# == Online application and review ("apply"): reads scoped to the viewer ==================


def _application_base():
    from .models import Application

    return Application.objects.select_related("association", "applicant")


def applications_of_applicant(*, user):
    """The user's own applications, newest first."""
    if not user.is_authenticated:
        return _application_base().none()
    return _application_base().filter(applicant=user).order_by("-created_at", "-id")


def application_detail_queryset(*, viewer):
    """Applications the viewer may open, with what the detail page shows."""
    from .permissions import application_policy

    return application_policy.visible_to(
        viewer,
        _application_base().select_related(
            "ethnic_group", "town", "political_status", "education", "membership"
        ),
    )


def application_page_data(*, application):
    """Related rows of one application's page (a fixed number of queries)."""
    return {
        "art_categories": list(application.art_categories.all()),
        "works": list(application.works.all()),
        "referees": list(
            application.referees.select_related("membership__person").order_by("slot")
        ),
        "steps": list(application.steps.select_related("actor").order_by("created_at", "id")),
        "objections": list(
            application.objections.select_related("decided_by").order_by("filed_at", "id")
        ),
    }


def referee_requests_pending(*, user):
    """Referee requests waiting for this user's answer (the member-centre panel)."""
    from .models import Application, ApplicationReferee
    from .permissions import referee_policy

    if not user.is_authenticated:
        return ApplicationReferee.objects.none()
    return (
        referee_policy.visible_to(user, ApplicationReferee.objects.all())
        .filter(
            status=ApplicationReferee.Status.PENDING,
            application__status=Application.Status.REFEREES,
        )
        .select_related("application", "application__association", "membership")
        .order_by("requested_at", "id")
    )


def referee_request_queryset(*, viewer):
    from .models import ApplicationReferee
    from .permissions import referee_policy

    return referee_policy.visible_to(
        viewer,
        ApplicationReferee.objects.select_related(
            "application",
            "application__association",
            "application__ethnic_group",
            "membership",
            "membership__person",
        ),
    )


def application_notices_unread(*, user, limit: int = 10):
    from .models import ApplicationNotice

    if not user.is_authenticated:
        return ApplicationNotice.objects.none()
    return (
        ApplicationNotice.objects.filter(user=user, read_at__isnull=True)
        .select_related("application")
        .order_by("-created_at", "-id")[:limit]
    )


def review_queue(*, viewer, status: str = ""):
    """Submitted applications waiting for someone's action, scoped to the viewer: a
    secretary sees their association(s), staff see all. ``status`` narrows the list."""
    from .models import Application
    from .permissions import application_policy

    waiting = [
        Application.Status.REFEREES,
        Application.Status.ASSOCIATION_REVIEW,
        Application.Status.FEDERATION_REVIEW,
        Application.Status.PUBLIC_NOTICE,
        Application.Status.RETURNED,
    ]
    qs = application_policy.visible_to(viewer, _application_base()).filter(status__in=waiting)
    if viewer.is_authenticated:
        qs = qs.exclude(applicant=viewer)  # nobody reviews their own application
    if status in waiting:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id")


def review_panel(*, viewer, association=None) -> dict:
    """Counts for the "applications waiting for review" panel of a dashboard (one query)."""
    from .models import Application
    from .permissions import application_policy

    qs = application_policy.visible_to(viewer, Application.objects.all()).exclude(
        status=Application.Status.DRAFT
    )
    if association is not None:
        qs = qs.filter(association=association)
    S = Application.Status
    counts = qs.aggregate(
        referees=Count("id", filter=Q(status=S.REFEREES)),
        association_review=Count("id", filter=Q(status=S.ASSOCIATION_REVIEW)),
        federation_review=Count("id", filter=Q(status=S.FEDERATION_REVIEW)),
        public_notice=Count("id", filter=Q(status=S.PUBLIC_NOTICE)),
    )
    return {"counts": counts, "association": association}


def public_notice_list(*, today=None):
    """Candidates on public notice today (public page: masked names only)."""
    from django.utils import timezone

    from .models import Application

    today = today or timezone.localdate()
    return (
        Application.objects.filter(
            status=Application.Status.PUBLIC_NOTICE,
            notice_starts_on__lte=today,
            notice_ends_on__gte=today,
        )
        .select_related("association")
        .order_by("notice_ends_on", "id")
    )


def apply_panel(*, user) -> dict:
    """What the member centre shows about applications: referee requests waiting for the
    user, the user's own applications and unread messages about them."""
    return {
        "referee_requests": list(referee_requests_pending(user=user)),
        "applications": list(applications_of_applicant(user=user)[:10]),
        "notices": list(application_notices_unread(user=user)),
    }


# == Identity change requests and discipline ("records", MEM-05, MEM-06) ====================


def can_record_discipline(user, membership) -> bool:
    """Staff on any membership; an association's secretary on that association's only."""
    from accounts.roles import is_federation_staff
    from associations.permissions import managed_association_ids

    if not getattr(user, "is_authenticated", False):
        return False
    return is_federation_staff(user) or membership.association_id in managed_association_ids(user)


def change_requests_of(*, person):
    """A member's own identity change requests, newest first."""
    from .models import IdentityChangeRequest

    return (
        IdentityChangeRequest.objects.filter(person=person)
        .select_related("new_ethnic_group", "decided_by")
        .order_by("-created_at", "-id")
    )


def change_request_queryset(*, viewer):
    """Change requests the viewer may review: federation staff all, anyone else none."""
    from accounts.roles import is_federation_staff

    from .models import IdentityChangeRequest

    queryset = IdentityChangeRequest.objects.select_related(
        "person", "person__ethnic_group", "new_ethnic_group", "requested_by", "decided_by"
    )
    if not is_federation_staff(viewer):
        return queryset.none()
    return queryset


def change_requests_pending(*, viewer):
    """Pending requests for the staff review list, newest first."""
    from .models import IdentityChangeRequest

    return (
        change_request_queryset(viewer=viewer)
        .filter(status=IdentityChangeRequest.Status.PENDING)
        .order_by("-created_at", "-id")
    )


def change_requests_pending_count(*, viewer) -> int:
    """The staff dashboard figure (one query)."""
    from .models import IdentityChangeRequest

    return (
        change_request_queryset(viewer=viewer)
        .filter(status=IdentityChangeRequest.Status.PENDING)
        .count()
    )


def change_request_evidence_queryset(*, viewer):
    """Requests whose document the viewer may open: their own, and (staff) all."""
    from accounts.roles import is_federation_staff

    from .models import IdentityChangeRequest

    queryset = IdentityChangeRequest.objects.all()
    if not getattr(viewer, "is_authenticated", False):
        return queryset.none()
    if is_federation_staff(viewer):
        return queryset
    return queryset.filter(person__user=viewer)


def discipline_history(*, membership):
    """Every decision on one membership, newest first."""
    return membership.discipline_decisions.select_related("recorded_by").order_by(
        "-decided_on", "-id"
    )


def discipline_of_person(*, person):
    """Decisions on all of a person's memberships (the member's own view), newest first."""
    from .models import DisciplineDecision

    return (
        DisciplineDecision.objects.filter(membership__person=person)
        .select_related("membership__association")
        .order_by("-decided_on", "-id")
    )


def discipline_attachment_queryset(*, viewer):
    """Decisions whose attachment the viewer may open: on memberships in their scope
    (staff all, secretaries their associations) and on their own memberships."""
    from .models import DisciplineDecision

    if not getattr(viewer, "is_authenticated", False):
        return DisciplineDecision.objects.none()
    scope = Q(membership__in=visible_memberships(viewer)) | Q(membership__person__user=viewer)
    return DisciplineDecision.objects.filter(scope)


# -- audit history (X-02) ---------------------------------------------------------------


def _action_label(entry) -> str:
    data = entry.additional_data or {}
    if data.get("event") == "reveal_id_number":
        return gettext("Viewed the full ID number")
    labels = {
        0: gettext("Created"),
        1: gettext("Changed"),
        2: gettext("Deleted"),
        3: gettext("Viewed"),
    }
    return labels.get(entry.action, str(entry.action))


HIDDEN_HISTORY_FIELDS = {"id", "created_at", "updated_at", "name_terms", "name_pinyin"}


def _entry_fields(entry):
    """(field, old, new) of an entry's changes, skipping fields no longer on the model."""
    model = entry.content_type.model_class()
    for name, values in (entry.changes_dict or {}).items():
        if name in HIDDEN_HISTORY_FIELDS or not isinstance(values, (list, tuple)):
            continue
        if len(values) != 2 or model is None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not getattr(field, "concrete", False):
            continue  # reverse relations and many-to-many changes are not shown here
        yield field, values[0], values[1]


def _related_names(wanted: dict) -> dict:
    """Names of the rows that foreign-key changes point at: one UNION query in all."""
    parts = []
    for index, (model, ids) in enumerate(wanted.items()):
        names = [f.name for f in model._meta.concrete_fields]
        column = next((c for c in ("name", "full_name", "username") if c in names), None)
        if column is None or not ids:
            continue
        parts.append(
            model._default_manager.filter(pk__in=ids)
            .order_by()
            .annotate(
                k=Value(index, output_field=IntegerField()),
                label=Cast(column, CharField()),
            )
            .values_list("k", "pk", "label")
        )
    if not parts:
        return {}
    models_by_index = dict(enumerate(wanted))
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(models_by_index[k], pk): label for k, pk, label in query}


def _shown(field, raw, names) -> str:
    if raw in (None, "", "None"):
        return "—"
    if field.many_to_one or field.one_to_one:
        try:
            return names.get((field.related_model, int(raw)), str(raw))
        except (TypeError, ValueError):
            return str(raw)
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    if field.get_internal_type() == "BooleanField":
        return gettext("Yes") if raw in (True, "True") else gettext("No")
    return str(raw)


def audit_history_rows(entries) -> list[dict]:
    """Audit entries in readable form: who, when, what (field: old → new), for any model.

    Names behind foreign keys come from one UNION query for all entries, so the number of
    queries does not grow with the entries (used by the member page and the admin history)."""
    entries = list(entries)
    wanted: dict = {}
    for entry in entries:
        for field, old, new in _entry_fields(entry):
            if field.many_to_one or field.one_to_one:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(int(v) for v in (old, new) if str(v).isdigit())
    names = _related_names(wanted)
    rows = []
    for entry in entries:
        rows.append(
            {
                "timestamp": entry.timestamp,
                "actor": (entry.actor.get_full_name() or entry.actor.get_username())
                if entry.actor
                else "",
                "action": _action_label(entry),
                "object": entry.object_repr,
                "changes": [
                    {
                        "field": str(field.verbose_name),
                        "old": _shown(field, old, names),
                        "new": _shown(field, new, names),
                    }
                    for field, old, new in _entry_fields(entry)
                ],
            }
        )
    return rows
