"""Grassroots network coverage (ORG-07), group members (ORG-06) and funding (ORG-09)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations.models import (
    Body,
    Funding,
    GrassrootsOrganisation,
    GroupMember,
    Liaison,
    Role,
    Town,
)
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "anonymous": "login",
    "member": 404,
    "sec_writers": 404,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("name", ["associations:network", "associations:funding"])
@pytest.mark.parametrize("role", list(STAFF_ONLY))
def test_network_and_funding_role_matrix(name, role, role_users, client_for):
    response = client_for(role_users[role]).get(reverse(name))
    want = STAFF_ONLY[role]
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == want


def test_coverage_of_the_fifteen_towns(staff_user, client_for, django_assert_max_num_queries):
    towns = list(Town.objects.order_by("sort_order"))
    assert len(towns) == 15
    GrassrootsOrganisation.objects.create(name="龙广镇文联", kind="town", town=towns[5])
    GrassrootsOrganisation.objects.create(
        name="停用的组织", kind="town", town=towns[6], active=False
    )
    today = timezone.localdate()
    Liaison.objects.create(person=PersonFactory(name="联络员甲"), town=towns[6], starts_on=today)
    Liaison.objects.create(
        person=PersonFactory(name="已卸任"),
        town=towns[7],
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=1),
    )
    Liaison.objects.create(person=PersonFactory(name="单位联络员"), unit="县一中", starts_on=today)
    GroupMember.objects.create(name="安龙县第一中学", kind="school", joined_on=date(2023, 5, 1))
    c = client_for(staff_user)
    c.get(reverse("associations:network"))
    with django_assert_max_num_queries(15):
        r = c.get(reverse("associations:network"))
    coverage = {t.name: t.coverage for t in r.context["towns"]}
    assert coverage[towns[5].name] == "organisation"
    assert coverage[towns[6].name] == "liaison"  # its organisation is inactive
    assert coverage[towns[7].name] == "neither"  # the liaison's post has ended
    assert (r.context["organisation"], r.context["liaison"], r.context["neither"]) == (1, 1, 13)
    body = r.content.decode()
    assert "单位联络员" in body and "安龙县第一中学" in body


def test_one_serving_liaison_per_town(db):
    town = Town.objects.first()
    Liaison.objects.create(person=PersonFactory(), town=town, starts_on=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Liaison.objects.create(person=PersonFactory(), town=town, starts_on=date(2025, 6, 1))


def test_funding_eligibility(staff_user, writers, photographers, client_for):
    today = timezone.localdate()
    term = services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=1,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year + 5, 1, 1),
        actor=None,
    )
    chair = PersonFactory()
    services.office_appoint(term=term, person=chair, role=Role.CHAIR, actor=None)
    services.office_appoint(
        term=term, person=PersonFactory(user=UserFactory()), role=Role.SECRETARY_GENERAL, actor=None
    )
    services.meeting_record(
        term=term,
        held_on=date(today.year, 1, 1),
        title="理事会",
        present_person_ids=[chair.id],
        actor=None,
    )
    Funding.objects.create(
        association=writers, year=today.year, budget=Decimal("20000"), grant=Decimal("10000")
    )
    Funding.objects.create(association=photographers, year=today.year, budget=Decimal("5000"))
    r = client_for(staff_user).get(reverse("associations:funding"), {"year": today.year})
    rows = {a.code: a for a in r.context["rows"]}
    assert rows["ZJ"].eligible and not rows["SY"].eligible
    assert rows["ZJ"].grant == Decimal("10000")
    assert r.context["totals"]["budget"] == Decimal("25000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Funding.objects.create(association=writers, year=today.year)
