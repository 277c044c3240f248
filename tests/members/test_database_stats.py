"""Statistics page and its Excel file: figures equal counts computed independently here."""

import io
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from associations.models import Association, Town
from members.filters import AGE_BANDS
from members.models import EthnicGroup, Gender, Membership, Person
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

STATS = "/members/stats/"


def _age(birth, today):
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _band(age):
    """Label of the age band, counted here independently of the code's date arithmetic."""
    labels = {code: str(label) for code, label, _low, _high in AGE_BANDS}
    if age < 35:
        return labels["lt35"]
    if age < 50:
        return labels["35_49"]
    if age < 60:
        return labels["50_59"]
    if age < 70:
        return labels["60_69"]
    return labels["70p"]


@pytest.fixture
def population(db):
    rng = random.Random(7)
    associations = list(Association.objects.order_by("sort_order")[:4])
    ethnic = list(EthnicGroup.objects.filter(code__in=["01", "09", "06"]))
    towns = list(Town.objects.order_by("sort_order")[:3]) + [None]
    today = date.today()
    for i in range(40):
        person = PersonFactory(
            name=f"统{i}",
            gender=rng.choice("MF"),
            ethnic_group=rng.choice(ethnic),
            birth_date=today - timedelta(days=rng.randint(20 * 365, 85 * 365)),
            town=rng.choice(towns),
            new_art_group=rng.random() < 0.3,
        )
        for a in rng.sample(associations, rng.choice([1, 1, 2])):
            MembershipFactory(
                person=person,
                association=a,
                joined_on=date(rng.randint(2000, 2025), 6, 1),
                status=rng.choice(["active", "active", "active", "withdrawn"]),
            )
    return today


def _expected(today):
    active = list(Membership.objects.filter(status="active").select_related("person"))
    people = {m.person_id: m.person for m in active}.values()
    return {
        "association": Counter(m.association.name for m in active),
        "join_year": Counter(str(m.joined_on.year) for m in active),
        "gender": Counter(str(dict(Gender.choices)[p.gender]) for p in people),
        "ethnic_group": Counter(p.ethnic_group.name for p in people),
        "age_band": Counter(_band(_age(p.birth_date, today)) for p in people),
        "town": Counter(p.town.name if p.town else str(_("Not given")) for p in people),
        "new_art_group": Counter(
            str(_("New art group")) if p.new_art_group else str(_("Other members")) for p in people
        ),
    }


def _nonzero(rows):
    return {label: n for label, n in rows if n}


def test_statistics_page_figures_equal_independent_counts(
    population, staff_user, client_for, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(15):
        response = c.get(STATS)
    assert response.status_code == 200
    expected = _expected(population)
    dims = {d.key: d for d in response.context["dimensions"]}
    assert set(dims) == set(expected)
    for key, counter in expected.items():
        assert _nonzero(dims[key].rows) == dict(counter), key
    body = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in body
    assert 'id="stats-data"' in body
    total_active = Membership.objects.filter(status="active").count()
    assert dims["association"].total == total_active
    assert (
        dims["gender"].total
        == Person.objects.filter(memberships__status="active").distinct().count()
    )


def test_statistics_excel_has_the_same_figures(population, staff_user, client_for):
    response = client_for(staff_user).get("/members/stats/export/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "按协会",
        "按性别",
        "按民族",
        "按年龄段",
        "按乡镇（街道）",
        "新文艺群体",
        "按入会年份",
    ]
    expected = _expected(population)
    sheets = {
        "按协会": "association",
        "按性别": "gender",
        "按民族": "ethnic_group",
        "按年龄段": "age_band",
        "按乡镇（街道）": "town",
        "新文艺群体": "new_art_group",
        "按入会年份": "join_year",
    }
    for sheet, key in sheets.items():
        rows = list(wb[sheet].iter_rows(values_only=True))
        assert rows[0][1] == "人数"
        body = {r[0]: r[1] for r in rows[1:-1] if r[1]}
        assert body == dict(expected[key]), sheet
        assert rows[-1][0] == "合计" and rows[-1][1] == sum(expected[key].values())


def test_statistics_with_no_members(staff_user, client_for):
    Membership.objects.all().delete()
    response = client_for(staff_user).get(STATS)
    assert response.status_code == 200
    dims = {d.key: d for d in response.context["dimensions"]}
    assert dims["association"].rows == []
    assert dims["gender"].total == 0


def test_figures_are_cached_and_recalculated_on_request(staff_user, client_for, writers):
    c = client_for(staff_user)

    def writers_count():
        dims = {d.key: d for d in c.get(STATS).context["dimensions"]}
        return dict(dims["association"].rows).get(writers.name, 0)

    before = writers_count()
    MembershipFactory(person=PersonFactory(name="新会员"), association=writers)
    assert writers_count() == before  # kept for five minutes
    response = c.post(STATS)
    assert response.status_code == 302 and response["Location"] == STATS
    assert writers_count() == before + 1


@pytest.mark.parametrize("role", ["member", "sec_writers", "sec_photo"])
def test_only_staff_may_recalculate(role, role_users, client_for):
    assert client_for(role_users[role]).post(STATS).status_code == 403
