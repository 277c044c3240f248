"""Reads of governance data (terms, offices, meetings, duty registration, contacts), already
scoped by the caller's association ids. Every function runs a fixed number of queries,
whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.dates import years_ago

from . import conf
from .models import (
    SENIOR_ROLES,
    Association,
    Body,
    ContactLog,
    DutyRegistration,
    Meeting,
    Office,
    Role,
    Term,
)

ROLE_RANK = Case(
    *[When(role=role, then=i) for i, role in enumerate(Role.values)],
    default=99,
    output_field=IntegerField(),
)


def months_back(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return datetime.date(year, month, min(day.day, last))


def active_on(day: datetime.date) -> Q:
    return Q(starts_on__lte=day, ends_on__gt=day)


def _offices_ordered():
    return (
        Office.objects.select_related("person")
        .annotate(rank=ROLE_RANK)
        .order_by("rank", "starts_on", "person__name_pinyin", "id")
    )


# -- Leadership -----------------------------------------------------------------------------


def current_leadership(*, association: Association, today: datetime.date) -> list[Office]:
    """Offices of the association's council held today, chair first (one query)."""
    return list(
        _offices_ordered().filter(
            active_on(today), term__body=Body.COUNCIL, term__association=association
        )
    )


def terms_with_offices(*, body: str, association: Association | None = None):
    """Terms of one body, newest first, each with its offices (two queries)."""
    return (
        Term.objects.filter(body=body, association=association)
        .select_related("association")
        .prefetch_related(Prefetch("offices", queryset=_offices_ordered()))
        .order_by("-number")
    )


# -- Ending soon ----------------------------------------------------------------------------


def _scope(qs, association_ids, path="association_id"):
    if association_ids is None:
        return qs
    return qs.filter(**{f"{path}__in": association_ids})


def ending_soon(*, association_ids: list[int] | None, today: datetime.date) -> dict:
    """Terms and current offices ending within the next days (settings
    GOVERNANCE_ENDING_SOON_DAYS, default 60). ``association_ids=None``: everything, the
    federation bodies included (staff). Two queries."""
    until = today + datetime.timedelta(days=conf.ending_soon_days())
    terms = _scope(
        Term.objects.filter(ends_on__gt=today, ends_on__lte=until, starts_on__lte=today),
        association_ids,
    ).select_related("association")
    offices = _scope(
        Office.objects.filter(
            starts_on__lte=today, ends_on__gt=today, ends_on__lte=until
        ).select_related("person", "term__association"),
        association_ids,
        "term__association_id",
    ).order_by("ends_on", "id")
    return {
        "days": conf.ending_soon_days(),
        "terms": list(terms.order_by("ends_on", "id")),
        "offices": list(offices),
    }


# -- Duty registration (ORG-05) -------------------------------------------------------------


@dataclass
class DutyRow:
    person_id: int
    name: str
    roles: list[str] = field(default_factory=list)
    filed_at: datetime.datetime | None = None


@dataclass
class DutyGroup:
    key: str
    label: str
    association_id: int | None
    association_code: str | None = None
    rows: list[DutyRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def filed(self) -> int:
        return sum(1 for r in self.rows if r.filed_at)

    @property
    def missing(self) -> list[DutyRow]:
        return [r for r in self.rows if not r.filed_at]


def duty_status(*, association_ids: list[int] | None, year: int) -> list[DutyGroup]:
    """Office holders of ``year`` grouped by association council (and, for staff, the
    presidium and committee), each with the time they filed, if they did. Two queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    offices = Office.objects.filter(starts_on__lt=end, ends_on__gt=start)
    if association_ids is not None:
        offices = offices.filter(term__body=Body.COUNCIL, term__association_id__in=association_ids)
    rows = (
        offices.annotate(rank=ROLE_RANK)
        .order_by("term__body", "term__association__sort_order", "rank", "person__name_pinyin")
        .values_list(
            "term__body",
            "term__association_id",
            "term__association__name",
            "term__association__code",
            "person_id",
            "person__name",
            "role",
        )
    )
    groups: dict[str, DutyGroup] = {}
    seen: dict[tuple[str, int], DutyRow] = {}
    by_person: dict[int, list[DutyRow]] = {}
    for body, assoc_id, assoc_name, assoc_code, person_id, name, role in rows:
        key = f"a{assoc_id}" if body == Body.COUNCIL else body
        group = groups.get(key)
        if group is None:
            label = assoc_name if body == Body.COUNCIL else str(Body(body).label)
            group = groups[key] = DutyGroup(
                key=key, label=label, association_id=assoc_id, association_code=assoc_code
            )
        row = seen.get((key, person_id))
        if row is None:
            row = seen[(key, person_id)] = DutyRow(person_id=person_id, name=name)
            group.rows.append(row)
            by_person.setdefault(person_id, []).append(row)
        label = str(Role(role).label)
        if label not in row.roles:
            row.roles.append(label)
    filed = dict(
        DutyRegistration.objects.filter(year=year, person_id__in=list(by_person)).values_list(
            "person_id", "filed_at"
        )
    )
    for person_id, person_rows in by_person.items():
        for row in person_rows:
            row.filed_at = filed.get(person_id)
    return list(groups.values())


def duty_registrations_of(person, *, year: int | None = None):
    qs = DutyRegistration.objects.filter(person=person).order_by("-year")
    return qs.filter(year=year) if year else qs


def offices_of(person, *, today: datetime.date):
    """The person's offices that are current today (one query)."""
    return list(
        Office.objects.filter(active_on(today), person=person)
        .select_related("term__association")
        .order_by("starts_on")
    )


# -- Meetings -------------------------------------------------------------------------------


def meetings_of(*, terms):
    return Meeting.objects.filter(term__in=terms).select_related("term__association")


# -- Contacts (ORG-10) ----------------------------------------------------------------------


def contacts_of(*, association: Association):
    return ContactLog.objects.filter(association=association).select_related(
        "membership__person", "logged_by"
    )


def contact_counts(*, today: datetime.date):
    """Per association: contacts logged in total and in the current year (one query)."""
    year_start = datetime.date(today.year, 1, 1)
    return Association.objects.annotate(
        contacts_total=Count("contacts"),
        contacts_year=Count("contacts", filter=Q(contacts__contacted_on__gte=year_start)),
    ).order_by("sort_order", "id")


# -- Rule warnings for the staff dashboard --------------------------------------------------


@dataclass
class GovernanceWarning:
    code: str
    text: str


def governance_warnings(*, today: datetime.date) -> dict:
    """Rule warnings across the federation (four queries):

    - the presidium has fewer part-time vice-chairs than the minimum (5), or no current term;
    - an active association has no current chair or no secretary-general;
    - a current chair, vice-chair or secretary-general is a cadre or over the age limit;
    - the presidium has not met within the required months (6).
    """
    warnings: list[GovernanceWarning] = []
    active = active_on(today)
    presidium = (
        Term.objects.filter(active, body=Body.PRESIDIUM)
        .annotate(
            vice_chairs=Count(
                "offices",
                filter=Q(
                    offices__role=Role.PART_TIME_VICE_CHAIR,
                    offices__starts_on__lte=today,
                    offices__ends_on__gt=today,
                ),
            )
        )
        .first()
    )
    minimum = conf.presidium_min_part_time_vice_chairs()
    if presidium is None:
        warnings.append(
            GovernanceWarning(
                "presidium_no_term", _("The presidium has no current term on record.")
            )
        )
    elif presidium.vice_chairs < minimum:
        warnings.append(
            GovernanceWarning(
                "presidium_few_vice_chairs",
                _(
                    "The presidium has %(count)s part-time vice-chairs; the reform plan asks "
                    "for 5 to 7 (at least %(minimum)s)."
                )
                % {"count": presidium.vice_chairs, "minimum": minimum},
            )
        )
    months = conf.presidium_meeting_months()
    last_meeting = Meeting.objects.filter(term__body=Body.PRESIDIUM).aggregate(last=Max("held_on"))[
        "last"
    ]
    if presidium is not None and (
        last_meeting is None or last_meeting < months_back(today, months)
    ):
        warnings.append(
            GovernanceWarning(
                "presidium_no_meeting",
                _("The presidium has not met in the last %(months)s months.") % {"months": months}
                if last_meeting is None
                else _(
                    "The presidium last met on %(date)s; it should meet at least every "
                    "%(months)s months."
                )
                % {"date": date_format(last_meeting, "DATE_FORMAT"), "months": months},
            )
        )
    current = Office.objects.filter(
        active, term__body=Body.COUNCIL, term__association_id=OuterRef("pk")
    )
    associations = (
        Association.objects.filter(status=Association.Status.ACTIVE)
        .annotate(
            has_chair=Exists(current.filter(role=Role.CHAIR)),
            has_secretary=Exists(current.filter(role=Role.SECRETARY_GENERAL)),
        )
        .order_by("sort_order", "id")
    )
    for a in associations:
        missing = []
        if not a.has_chair:
            missing.append(str(Role.CHAIR.label))
        if not a.has_secretary:
            missing.append(str(Role.SECRETARY_GENERAL.label))
        if missing:
            warnings.append(
                GovernanceWarning(
                    "association_missing_officer",
                    _("%(association)s has no current %(roles)s.")
                    % {"association": a.name, "roles": _(" or ").join(missing)},
                )
            )
    cutoff = years_ago(today, conf.officer_age_limit() + 1)
    flagged = list(
        Office.objects.filter(active, role__in=list(SENIOR_ROLES))
        .filter(Q(cadre=True) | Q(person__birth_date__lte=cutoff))
        .select_related("person", "term__association")
        .order_by("term__body", "term__association__sort_order", "id")
    )
    return {
        "warnings": warnings,
        "flagged_officers": flagged,
        "age_limit": conf.officer_age_limit(),
    }


def duty_completion(groups: list[DutyGroup]) -> tuple[int, int]:
    return sum(g.filed for g in groups), sum(g.total for g in groups)


def holders_of(*, term: Term):
    """Persons holding any office in ``term`` (one query)."""
    from members.models import Person

    return list(Person.objects.filter(offices__term=term).distinct().order_by("name_pinyin", "id"))


# -- Grassroots network (ORG-07), group members (ORG-06), funding (ORG-09) -----------------


def network_coverage(*, today: datetime.date) -> dict:
    """The towns and streets, each with its active organisations and its serving liaison:
    covered by an organisation, by a liaison, or by neither (three queries)."""
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Subquery

    from .models import GrassrootsOrganisation, GroupMember, Liaison, Town

    serving = Liaison.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    towns = list(
        Town.objects.annotate(
            organisation_names=ArrayAgg(
                "organisations__name",
                filter=Q(organisations__active=True),
                distinct=True,
                default=[],
            ),
            liaison_name=Subquery(
                serving.filter(town=OuterRef("pk")).order_by("starts_on").values("person__name")[:1]
            ),
        ).order_by("sort_order", "id")
    )
    for town in towns:
        town.coverage = (
            "organisation"
            if town.organisation_names
            else ("liaison" if town.liaison_name else "neither")
        )
    unit_liaisons = list(
        serving.filter(town__isnull=True).select_related("person").order_by("unit")
    )
    group_members = GroupMember.objects.filter(status=GroupMember.Status.ACTIVE).aggregate(
        n=Count("id")
    )["n"]
    other_organisations = (
        GrassrootsOrganisation.objects.filter(active=True).exclude(kind="town").count()
    )
    return {
        "towns": towns,
        "organisation": sum(1 for t in towns if t.coverage == "organisation"),
        "liaison": sum(1 for t in towns if t.coverage == "liaison"),
        "neither": sum(1 for t in towns if t.coverage == "neither"),
        "unit_liaisons": unit_liaisons,
        "group_members": group_members,
        "other_organisations": other_organisations,
    }


def group_members():
    from .models import GroupMember

    return GroupMember.objects.select_related("town").order_by("kind", "name")


def funding_table(*, year: int, today: datetime.date) -> list[Association]:
    """Every association with its funding for ``year`` and whether it is organised (a chair
    and a secretary-general in office) and functioning (a council meeting that year), the
    condition for the yearly grant from 2022 (settings FUNDING_FROM_YEAR). One query."""
    from django.db.models import Subquery

    from .models import Funding

    day = min(today, datetime.date(year, 12, 31))
    current = Office.objects.filter(
        active_on(day), term__body=Body.COUNCIL, term__association_id=OuterRef("pk")
    )
    funding = Funding.objects.filter(association_id=OuterRef("pk"), year=year)
    rows = list(
        Association.objects.exclude(status=Association.Status.DISSOLVED)
        .annotate(
            has_chair=Exists(current.filter(role=Role.CHAIR)),
            has_secretary=Exists(current.filter(role=Role.SECRETARY_GENERAL)),
            met=Exists(
                Meeting.objects.filter(
                    term__body=Body.COUNCIL,
                    term__association_id=OuterRef("pk"),
                    held_on__year=year,
                )
            ),
            budget=Subquery(funding.values("budget")[:1]),
            grant=Subquery(funding.values("grant")[:1]),
            spending=Subquery(funding.values("spending")[:1]),
        )
        .order_by("sort_order", "id")
    )
    from_year = conf.funding_from_year()
    for a in rows:
        a.organised = a.has_chair and a.has_secretary
        a.eligible = year >= from_year and a.organised and a.met
    return rows


# -- Appraisal (ORG-08) ---------------------------------------------------------------------


@dataclass
class AppraisalRow:
    association: Association
    appraisal: object | None
    values: dict
    score: object = None
    rank: int = 0
    cells: list = field(default_factory=list)


def appraisal_table(*, year: int, association_ids: list[int] | None = None) -> dict:
    """The ranked appraisal table of ``year`` (a fixed number of queries: associations,
    appraisals, one per metric). Final appraisals show their frozen figures. Scores are
    relative to the best association, so they are computed over all of them; a secretary
    gets only their own rows (``association_ids``)."""
    from . import appraisal as scoring
    from .models import Appraisal

    associations = list(
        Association.objects.exclude(status=Association.Status.DISSOLVED).order_by(
            "sort_order", "id"
        )
    )
    ids = [a.id for a in associations]
    appraisals = {
        a.association_id: a
        for a in Appraisal.objects.filter(year=year, association_id__in=ids).select_related(
            "signed_by"
        )
    }
    values = scoring.compute_metrics(association_ids=ids, year=year)
    for association_id, appraisal in appraisals.items():
        for key in scoring.SURVEY_KEYS:
            values[association_id][key] = getattr(appraisal, key)
        if appraisal.status == Appraisal.Status.FINAL and appraisal.metrics:
            values[association_id].update(appraisal.metrics)
    scores = scoring.score_all(values)
    rows = []
    for a in associations:
        appraisal = appraisals.get(a.id)
        final = appraisal is not None and appraisal.status == Appraisal.Status.FINAL
        score = appraisal.score if final else scores[a.id]
        rows.append(
            AppraisalRow(association=a, appraisal=appraisal, values=values[a.id], score=score)
        )
    rows.sort(key=lambda r: (-(r.score or 0), r.association.sort_order))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    columns = scoring.columns()
    for row in rows:
        row.cells = [row.values.get(key) for key, _label in columns]
    if association_ids is not None:
        rows = [r for r in rows if r.association.id in association_ids]
    weights = scoring.weights()
    return {
        "rows": rows,
        "columns": [(key, label, weights.get(key, 0)) for key, label in columns],
    }


# -- Congress (ORG-04) ----------------------------------------------------------------------


def congress_composition(*, congress) -> dict:
    """Delegates of a congress by group, with shares against the targets (one query)."""
    from .models import Delegate

    cutoff = years_ago(congress.held_on, conf.young_middle_age_max() + 1)
    counts = Delegate.objects.filter(congress=congress).aggregate(
        total=Count("id"),
        grassroots=Count("id", filter=Q(grassroots=True)),
        young_middle=Count("id", filter=Q(person__birth_date__gt=cutoff)),
        ethnic_minority=Count(
            "id",
            filter=~Q(person__ethnic_group__code__in=[conf.HAN_CODE, conf.OTHER_ETHNIC_CODE]),
        ),
        women=Count("id", filter=Q(person__gender="F")),
        new_art_group=Count("id", filter=Q(person__new_art_group=True)),
    )
    labels = {
        "grassroots": _("Grassroots and front-line creators"),
        "young_middle": _("Young and middle-aged (up to %(age)s)")
        % {"age": conf.young_middle_age_max()},
        "ethnic_minority": _("Ethnic minorities"),
        "women": _("Women"),
        "new_art_group": _("New art groups"),
    }
    total = counts["total"]
    targets = conf.congress_targets()
    rows = []
    for key, label in labels.items():
        count = counts[key]
        share = round(100 * count / total, 1) if total else 0.0
        target = targets.get(key)
        rows.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "share": share,
                "target": target,
                "met": target is None or share >= target,
            }
        )
    return {"total": total, "rows": rows}


def congress_delegates(*, congress):
    from .models import Delegate

    return (
        Delegate.objects.filter(congress=congress)
        .select_related("person", "person__ethnic_group", "association")
        .order_by("association__sort_order", "person__name_pinyin", "id")
    )
