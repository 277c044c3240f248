"""Member statistics for federation staff (MEM-08, X-05), counted in the database.

Counted are active members: by association and by year of joining each active membership
counts (a person in two associations counts in both); by gender, ethnic group, age band, town
and new art group each person with at least one active membership counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, Exists, OuterRef, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filters import AGE_BANDS, years_ago
from .models import Gender, Membership, Person


@dataclass
class Dimension:
    key: str
    title: str
    sheet: str  # Chinese title of the Excel sheet (official figures)
    rows: list[tuple[str, int]]
    chart: str = "bar"

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


def _active_memberships():
    return Membership.objects.filter(status=Membership.Status.ACTIVE)


def _active_people():
    return Person.objects.filter(
        Exists(_active_memberships().filter(person_id=OuterRef("pk")))
    ).order_by()


def age_band_case(today: date) -> Case:
    whens = []
    for code, _label, _low, high in AGE_BANDS:
        if high is not None:
            whens.append(When(birth_date__gt=years_ago(today, high), then=Value(code)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _people_cube(today: date) -> list[dict]:
    """Active members counted per (gender, ethnic group, age band, town, new art group):
    one GROUP BY over the person table, rolled up per dimension in Python (a few thousand
    groups), instead of one pass over the table per dimension."""
    return list(
        _active_people()
        .annotate(band=age_band_case(today))
        .values("gender", "ethnic_group_id", "band", "town_id", "new_art_group")
        .annotate(n=Count("id"))
        .order_by()
    )


def _memberships_cube() -> list[dict]:
    """Active memberships counted per (association, year of joining): one GROUP BY."""
    return list(
        _active_memberships()
        .annotate(year=ExtractYear("joined_on"))
        .values("association_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )


def _roll_up(cube: list[dict], key: str) -> dict:
    totals: dict = {}
    for row in cube:
        totals[row[key]] = totals.get(row[key], 0) + row["n"]
    return totals


def member_statistics(today: date | None = None) -> list[Dimension]:
    """Every dimension of the statistics page and its Excel file: two counting queries and
    three small look-ups of names (associations, ethnic groups, towns)."""
    from associations.models import Association, Town

    from .models import EthnicGroup

    today = today or timezone.localdate()
    people = _people_cube(today)
    memberships = _memberships_cube()

    per_association = _roll_up(memberships, "association_id")
    associations = Association.objects.filter(id__in=per_association).order_by("sort_order", "id")
    by_association = [(a.name, per_association[a.id]) for a in associations]

    per_year = _roll_up(memberships, "year")
    by_join_year = [(str(year), per_year[year]) for year in sorted(per_year)]

    per_gender = _roll_up(people, "gender")
    by_gender = [(str(label), per_gender.get(code, 0)) for code, label in Gender.choices]

    per_ethnic = _roll_up(people, "ethnic_group_id")
    groups = EthnicGroup.objects.filter(id__in=per_ethnic).order_by("sort_order", "id")
    by_ethnic = sorted(
        ((g.name, per_ethnic[g.id]) for g in groups), key=lambda row: -row[1]
    )  # stable: equal counts keep the reference-list order

    per_band = _roll_up(people, "band")
    by_age = [(str(label), per_band.get(code, 0)) for code, label, _lo, _hi in AGE_BANDS]

    per_town = _roll_up(people, "town_id")
    towns = Town.objects.filter(id__in=[t for t in per_town if t]).order_by("sort_order", "id")
    by_town = [(t.name, per_town[t.id]) for t in towns]
    if per_town.get(None):
        by_town.append((str(_("Not given")), per_town[None]))

    per_new = _roll_up(people, "new_art_group")
    by_new_art = [
        (str(_("New art group")), per_new.get(True, 0)),
        (str(_("Other members")), per_new.get(False, 0)),
    ]
    return [
        Dimension("association", _("By association"), "按协会", by_association),
        Dimension("gender", _("By gender"), "按性别", by_gender, "pie"),
        Dimension("ethnic_group", _("By ethnic group"), "按民族", by_ethnic),
        Dimension("age_band", _("By age"), "按年龄段", by_age),
        Dimension("town", _("By town or street"), "按乡镇（街道）", by_town),
        Dimension("new_art_group", _("New art groups"), "新文艺群体", by_new_art, "pie"),
        Dimension("join_year", _("By year of joining"), "按入会年份", by_join_year, "line"),
    ]


CACHE_SECONDS = 300


def _cache_key() -> str:
    from django.utils.translation import get_language

    return f"members:statistics:v1:{get_language()}"


def cached_member_statistics(*, refresh: bool = False) -> tuple[list[Dimension], object]:
    """The statistics and when they were computed. Counting 100,000 members takes a few
    hundred milliseconds, so the figures are kept in the cache (Redis) for five minutes;
    ``refresh`` recomputes them at once."""
    from django.core.cache import cache

    key = _cache_key()
    cached = None if refresh else cache.get(key)
    if cached is None:
        dimensions = member_statistics()
        for d in dimensions:
            d.title = str(d.title)
        cached = (dimensions, timezone.now())
        cache.set(key, cached, CACHE_SECONDS)
    return cached
