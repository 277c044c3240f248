"""Reads of the yearly registration (MEM-07): the member's panel and the staff review list."""

from __future__ import annotations

import datetime

from .models import AnnualRegistration, Membership


def member_panel(person, *, today: datetime.date) -> dict:
    """The person's registrations of the current registration year (one query)."""
    from .registration_services import registration_year

    year = registration_year(today)
    if person is None:
        return {"year": year, "rows": [], "pending": []}
    rows = list(
        AnnualRegistration.objects.filter(
            membership__person=person,
            year=year,
            membership__status=Membership.Status.ACTIVE,
        )
        .select_related("membership__association")
        .order_by("membership__association__sort_order", "id")
    )
    return {"year": year, "rows": rows, "pending": [r for r in rows if r.confirmed_at is None]}


def review_list():
    """Members on the 视为自动退会 review list: not registered for a year and no
    participation, still active (staff decide; a decision ends the membership)."""
    return (
        AnnualRegistration.objects.filter(
            review_listed_at__isnull=False,
            confirmed_at__isnull=True,
            membership__status=Membership.Status.ACTIVE,
        )
        .select_related("membership__person", "membership__association")
        .order_by("-year", "membership__association__sort_order", "membership__person__name", "id")
    )


def review_count() -> int:
    return review_list().count()
