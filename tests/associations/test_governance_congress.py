"""Congress composition report (ORG-04): shares against targets, Excel, staff only."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from associations.models import Congress, Delegate
from members.models import EthnicGroup
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(writers):
    c = Congress.objects.create(number=9, held_on=date(2026, 6, 1))
    buyei = EthnicGroup.objects.get(code="09")
    people = [
        PersonFactory(name="=SUM(A1)", gender="F", birth_date=date(1990, 1, 1), ethnic_group=buyei),
        PersonFactory(gender="F", birth_date=date(1960, 1, 1)),
        PersonFactory(gender="M", birth_date=date(1985, 1, 1), new_art_group=True),
        PersonFactory(gender="M", birth_date=date(1950, 1, 1)),
    ]
    for i, p in enumerate(people):
        Delegate.objects.create(congress=c, person=p, association=writers, grassroots=i < 2)
    return c


@pytest.mark.parametrize(
    "name,needs_congress",
    [
        ("associations:congresses", False),
        ("associations:congress_report", True),
        ("associations:congress_export", True),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "member", "sec_writers", "sec_photo", "staff"])
def test_congress_role_matrix(name, needs_congress, role, congress, role_users, client_for):
    kwargs = {"number": congress.number} if needs_congress else {}
    r = client_for(role_users[role]).get(reverse(name, kwargs=kwargs))
    if role == "anonymous":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    else:
        assert r.status_code == (200 if role == "staff" else 404)


def test_composition_shares_and_targets(congress, staff_user, client_for, settings):
    settings.CONGRESS_COMPOSITION_TARGETS = {"women": 60}
    r = client_for(staff_user).get(
        reverse("associations:congress_report", kwargs={"number": congress.number})
    )
    rows = {row["key"]: row for row in r.context["rows"]}
    assert r.context["total"] == 4
    assert rows["women"]["count"] == 2 and rows["women"]["share"] == 50.0
    assert rows["women"]["met"] is False  # target 60 %
    assert rows["young_middle"]["count"] == 2  # born 1990 and 1985; 45 or younger in 2026
    assert rows["ethnic_minority"]["count"] == 1
    assert rows["grassroots"]["count"] == 2 and rows["new_art_group"]["count"] == 1


def test_congress_excel(congress, staff_user, client_for):
    r = client_for(staff_user).get(
        reverse("associations:congress_export", kwargs={"number": congress.number})
    )
    book = load_workbook(io.BytesIO(r.content))
    summary = [row for row in book["代表构成"].iter_rows(values_only=True)]
    assert summary[1][0] == "类别" and len(summary) == 2 + 5
    names = [row[1] for row in book["代表名单"].iter_rows(min_row=2, values_only=True)]
    assert "'=SUM(A1)" in names  # neutralised, not a formula


def test_congress_export_is_logged(congress, staff_user, client_for):
    from auditlog.models import LogEntry

    client_for(staff_user).get(
        reverse("associations:congress_export", kwargs={"number": congress.number})
    )
    entry = LogEntry.objects.get(additional_data__event="congress_export")
    assert entry.action == LogEntry.Action.ACCESS and entry.actor == staff_user
    assert entry.additional_data["rows"] == congress.delegates.count() > 0
