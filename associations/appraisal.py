"""Yearly association appraisal (ORG-08): a registry of metrics computed from the portal's
own data, the survey figures staff enter, configurable weights and the ranked table.

Other apps add their metrics (activities, participants, works, awards…) with::

    from associations.appraisal import register_metric

    @register_metric("awards", _("Awards won"))
    def awards_won(*, association_ids, year):
        return {association_id: count, ...}

A metric missing for an association counts as zero. Weights come from the setting
``APPRAISAL_WEIGHTS`` (key → weight); a metric without a weight has weight 0 and is shown
but does not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    func: Callable[..., dict[int, float]] | None
    higher_is_better: bool = True


METRICS: dict[str, Metric] = {}

# Survey figures entered by staff (0–100), stored on the Appraisal row.
SURVEY_KEYS = ("awareness", "participation", "satisfaction")

DEFAULT_WEIGHTS = {
    "members_gained": 15,
    "members_lost": 5,
    "council_meetings": 10,
    "contacts": 10,
    "duty_filed": 10,
    "awareness": 15,
    "participation": 15,
    "satisfaction": 20,
}


def register_metric(key: str, label, *, higher_is_better: bool = True):
    def decorator(func):
        METRICS[key] = Metric(key=key, label=label, func=func, higher_is_better=higher_is_better)
        return func

    return decorator


def weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "APPRAISAL_WEIGHTS", {})}


def _year_range(year: int):
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


@register_metric("members_gained", _("Members gained"))
def members_gained(*, association_ids, year):
    from members.models import Membership

    start, end = _year_range(year)
    return dict(
        Membership.objects.filter(
            association_id__in=association_ids, joined_on__gte=start, joined_on__lt=end
        )
        .values("association_id")
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )


@register_metric("members_lost", _("Members lost"), higher_is_better=False)
def members_lost(*, association_ids, year):
    from members.models import Membership

    start, end = _year_range(year)
    return dict(
        Membership.objects.filter(
            association_id__in=association_ids, left_on__gte=start, left_on__lt=end
        )
        .values("association_id")
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )


@register_metric("council_meetings", _("Council meetings held"))
def council_meetings(*, association_ids, year):
    from .models import Body, Meeting

    return dict(
        Meeting.objects.filter(
            term__body=Body.COUNCIL,
            term__association_id__in=association_ids,
            held_on__year=year,
        )
        .values("term__association_id")
        .annotate(n=Count("id"))
        .values_list("term__association_id", "n")
    )


@register_metric("contacts", _("Member contacts logged"))
def contacts(*, association_ids, year):
    from .models import ContactLog

    return dict(
        ContactLog.objects.filter(association_id__in=association_ids, contacted_on__year=year)
        .values("association_id")
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )


@register_metric("duty_filed", _("Duty registrations filed (%)"))
def duty_filed(*, association_ids, year):
    from .models import Body, DutyRegistration, Office

    start, end = _year_range(year)
    rows = (
        Office.objects.filter(
            term__body=Body.COUNCIL,
            term__association_id__in=association_ids,
            starts_on__lt=end,
            ends_on__gt=start,
        )
        .values("term__association_id")
        .annotate(
            holders=Count("person", distinct=True),
            filed=Count(
                "person",
                distinct=True,
                filter=Q(person__in=DutyRegistration.objects.filter(year=year).values("person_id")),
            ),
        )
        .values_list("term__association_id", "holders", "filed")
    )
    return {a: round(100 * filed / holders) for a, holders, filed in rows if holders}


SURVEY_LABELS = {
    "awareness": _("Public awareness"),
    "participation": _("Participation"),
    "satisfaction": _("Satisfaction"),
}


def columns() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in METRICS.values()] + list(SURVEY_LABELS.items())


def compute_metrics(*, association_ids: list[int], year: int) -> dict[int, dict[str, float]]:
    """Every registered metric for every association (one query per metric)."""
    values = {a: {} for a in association_ids}
    for metric in METRICS.values():
        found = metric.func(association_ids=association_ids, year=year)
        for a in association_ids:
            values[a][metric.key] = found.get(a, 0)
    return values


def score_all(values: dict[int, dict[str, float]]) -> dict[int, Decimal]:
    """Weighted score 0–100: each figure is scaled against the best association (the
    survey figures are already 0–100; fewer members lost is better)."""
    w = weights()
    keys = [k for k in w if w[k]]
    total_weight = sum(w[k] for k in keys) or 1
    best = {k: max((v.get(k) or 0) for v in values.values()) if values else 0 for k in keys}
    lower_better = {m.key for m in METRICS.values() if not m.higher_is_better}
    scores = {}
    for a, v in values.items():
        total = 0.0
        for k in keys:
            x = v.get(k) or 0
            if k in SURVEY_KEYS:
                scaled = min(float(x), 100.0)
            elif k in lower_better:
                scaled = 100.0 if not best[k] else 100.0 * (1 - float(x) / float(best[k]))
            else:
                scaled = 0.0 if not best[k] else 100.0 * float(x) / float(best[k])
            total += w[k] * scaled
        scores[a] = Decimal(total / total_weight).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return scores
