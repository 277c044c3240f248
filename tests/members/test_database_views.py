"""Member database: role matrix, search, filters, pagination, member page, full ID reveal."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from associations.models import Town
from members.models import EthnicGroup, Membership, Person
from portal.dates import years_ago
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/members/database/"


@pytest.fixture
def two_members(writers, photographers):
    w = MembershipFactory(person=PersonFactory(name="作协甲"), association=writers)
    p = MembershipFactory(person=PersonFactory(name="摄协乙"), association=photographers)
    return w, p


def _names(response):
    return [m.person.name for m in response.context["page"].object_list]


# -- role matrix ----------------------------------------------------------------------------


def _expect(response, want):
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == want


ROLES = ["anonymous", "member", "sec_writers", "sec_photo", "staff"]


@pytest.mark.parametrize(
    "role,want",
    list(zip(ROLES, ["login", 403, 200, 200, 200], strict=True)),
)
def test_list_matrix(role, want, role_users, client_for):
    _expect(client_for(role_users[role]).get(LIST), want)


@pytest.mark.parametrize(
    "role,want",
    list(zip(ROLES, ["login", 403, 403, 403, 200], strict=True)),
)
def test_export_matrix(role, want, role_users, client_for):
    _expect(client_for(role_users[role]).get(reverse("members:database_export")), want)


@pytest.mark.parametrize(
    "role,want",
    list(zip(ROLES, ["login", 404, 200, 404, 200], strict=True)),
)
def test_detail_matrix_writers_member(role, want, role_users, client_for, two_members):
    writers_membership, _ = two_members
    url = reverse("members:member_detail", args=[writers_membership.pk])
    _expect(client_for(role_users[role]).get(url), want)


@pytest.mark.parametrize(
    "role,want",
    list(zip(ROLES, ["login", 404, 404, 200, 200], strict=True)),
)
def test_detail_matrix_photo_member(role, want, role_users, client_for, two_members):
    _, photo_membership = two_members
    url = reverse("members:member_detail", args=[photo_membership.pk])
    _expect(client_for(role_users[role]).get(url), want)


@pytest.mark.parametrize(
    "role,want",
    list(zip(ROLES, ["login", 404, 403, 404, 200], strict=True)),
)
def test_reveal_matrix(role, want, role_users, client_for, two_members):
    writers_membership, _ = two_members
    url = reverse("members:member_reveal_id", args=[writers_membership.pk])
    response = client_for(role_users[role]).post(url)
    _expect(response, want)
    number = Person.objects.get(pk=writers_membership.person_id).id_number
    if want != 200:
        assert number.encode() not in response.content
        assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


@pytest.mark.parametrize("role,want", zip(ROLES, ["login", 403, 403, 403, 200], strict=True))
def test_statistics_matrix(role, want, role_users, client_for):
    _expect(client_for(role_users[role]).get(reverse("members:statistics")), want)
    _expect(client_for(role_users[role]).get(reverse("members:statistics_export")), want)


# -- scope ----------------------------------------------------------------------------------


def test_secretary_sees_only_own_association(sec_writers, client_for, two_members):
    names = _names(client_for(sec_writers).get(LIST))
    assert "作协甲" in names and "摄协乙" not in names


def test_secretary_cannot_widen_scope_with_association_filter(
    sec_writers, photographers, client_for, two_members
):
    response = client_for(sec_writers).get(LIST, {"association": photographers.id})
    assert response.status_code == 200
    assert _names(response) == []
    assert "摄协乙" not in response.content.decode()
    assert response.context["filter"].form.errors


def test_secretary_sees_only_the_membership_in_own_association(
    sec_writers, writers, photographers, client_for
):
    person = PersonFactory(name="双会员")
    mine = MembershipFactory(person=person, association=writers, number="AL-ZJ-2020-0001")
    MembershipFactory(person=person, association=photographers, number="AL-SY-2020-0009")
    c = client_for(sec_writers)
    rows = c.get(LIST).context["page"].object_list
    assert [m.pk for m in rows if m.person_id == person.id] == [mine.pk]
    body = c.get(reverse("members:member_detail", args=[mine.pk])).content.decode()
    assert "AL-ZJ-2020-0001" in body
    assert "AL-SY-2020-0009" not in body and "摄影家协会" not in body


def test_staff_sees_every_association(staff_user, client_for, two_members):
    names = _names(client_for(staff_user).get(LIST))
    assert {"作协甲", "摄协乙"} <= set(names)


# -- search ---------------------------------------------------------------------------------


@pytest.fixture
def named(writers):
    people = {}
    for name in ["王芳", "王小明", "李明华", "欧阳明", "张伟"]:
        people[name] = MembershipFactory(person=PersonFactory(name=name), association=writers)
    return people


@pytest.mark.parametrize(
    "q,expected",
    [
        ("王", {"王芳", "王小明"}),
        ("明", {"王小明", "李明华", "欧阳明"}),
        ("小明", {"王小明"}),
        ("明华", {"李明华"}),
        ("欧阳明", {"欧阳明"}),
        ("阳明华", set()),
        ("伟", {"张伟"}),
    ],
)
def test_name_search_one_two_and_more_characters(q, expected, staff_user, client_for, named):
    names = set(_names(client_for(staff_user).get(LIST, {"q": q})))
    assert names & set(named) == expected


def test_search_by_member_number_legacy_number_and_phone(staff_user, client_for, writers):
    a = MembershipFactory(
        person=PersonFactory(name="甲"), association=writers, number="AL-ZJ-2021-0007"
    )
    b = MembershipFactory(
        person=PersonFactory(name="乙"), association=writers, legacy_number="ZX-0099"
    )
    c = MembershipFactory(person=PersonFactory(name="丙", phone="13985901234"), association=writers)
    client = client_for(staff_user)
    assert _names(client.get(LIST, {"q": "AL-ZJ-2021-0007"})) == [a.person.name]
    assert _names(client.get(LIST, {"q": "al-zj-2021-0007"})) == [a.person.name]
    assert _names(client.get(LIST, {"q": "ZX-0099"})) == [b.person.name]
    assert _names(client.get(LIST, {"q": "13985901234"})) == [c.person.name]
    assert _names(client.get(LIST, {"q": "AL-ZJ-2021-000"})) == []


# -- filters --------------------------------------------------------------------------------


@pytest.fixture
def varied(writers, photographers):
    today = date.today()
    buyi = EthnicGroup.objects.get(name="布依族")
    towns = list(Town.objects.order_by("sort_order")[:2])
    specs = [
        # name, gender, ethnic, age, town, in_system, new_art, association, status
        ("甲一", "M", None, 30, towns[0], True, False, writers, "active"),
        ("乙二", "F", buyi, 40, towns[1], False, True, writers, "active"),
        ("丙三", "F", None, 55, towns[0], False, False, photographers, "suspended"),
        ("丁四", "M", buyi, 65, towns[1], True, True, photographers, "active"),
        ("戊五", "M", None, 75, towns[0], False, False, writers, "withdrawn"),
    ]
    out = {}
    for name, gender, eth, age, town, in_system, new_art, assoc, status in specs:
        kwargs = {}
        if eth:
            kwargs["ethnic_group"] = eth
        birth = years_ago(today, age) - timedelta(days=10)
        person = PersonFactory(
            name=name,
            gender=gender,
            birth_date=birth,
            town=town,
            in_system=in_system,
            new_art_group=new_art,
            **kwargs,
        )
        out[name] = MembershipFactory(person=person, association=assoc, status=status)
    return out, buyi, towns


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"gender": "F"}, {"乙二", "丙三"}),
        ({"status": "active"}, {"甲一", "乙二", "丁四"}),
        ({"age_band": "lt35"}, {"甲一"}),
        ({"age_band": "35_49"}, {"乙二"}),
        ({"age_band": "50_59"}, {"丙三"}),
        ({"age_band": "60_69"}, {"丁四"}),
        ({"age_band": "70p"}, {"戊五"}),
        ({"in_system": "true"}, {"甲一", "丁四"}),
        ({"in_system": "false"}, {"乙二", "丙三", "戊五"}),
        ({"new_art_group": "true"}, {"乙二", "丁四"}),
        ({"gender": "M", "status": "active"}, {"甲一", "丁四"}),
    ],
)
def test_filters(params, expected, staff_user, client_for, varied):
    names = set(_names(client_for(staff_user).get(LIST, params)))
    assert names & set(varied[0]) == expected


def test_filter_by_association_ethnic_group_and_town(staff_user, client_for, varied, photographers):
    people, buyi, towns = varied
    c = client_for(staff_user)
    assert set(_names(c.get(LIST, {"association": photographers.id}))) & set(people) == {
        "丙三",
        "丁四",
    }
    assert set(_names(c.get(LIST, {"ethnic_group": buyi.id}))) & set(people) == {"乙二", "丁四"}
    assert set(_names(c.get(LIST, {"town": towns[1].id}))) & set(people) == {"乙二", "丁四"}


def test_invalid_filter_is_explained(staff_user, client_for, varied):
    response = client_for(staff_user).get(LIST, {"age_band": "teen"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["age_band"]
    assert _names(response) == []


def test_sort_by_pinyin_and_by_join_date(staff_user, client_for, writers):
    MembershipFactory(
        person=PersonFactory(name="张三"), association=writers, joined_on=date(2010, 1, 1)
    )
    MembershipFactory(
        person=PersonFactory(name="安一"), association=writers, joined_on=date(2000, 1, 1)
    )
    MembershipFactory(
        person=PersonFactory(name="李二"), association=writers, joined_on=date(2020, 1, 1)
    )
    c = client_for(staff_user)
    assert _names(c.get(LIST, {"sort": "pinyin"})) == ["安一", "李二", "张三"]
    assert _names(c.get(LIST, {"sort": "joined"})) == ["李二", "张三", "安一"]


def test_pagination_keeps_filters(staff_user, client_for, writers):
    for i in range(30):
        MembershipFactory(person=PersonFactory(name=f"页{i:02d}"), association=writers)
    c = client_for(staff_user)
    first = c.get(LIST, {"q": "页"})
    assert len(first.context["page"].object_list) == 25
    assert first.context["paginator"].count == 30
    assert "q=%E9%A1%B5&amp;page=2" in first.content.decode()
    second = c.get(LIST, {"q": "页", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_unfiltered_staff_list_uses_the_estimate_on_a_big_table(
    staff_user, client_for, writers, monkeypatch
):
    from portal import pagination

    MembershipFactory(person=PersonFactory(name="估计"), association=writers)
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", -1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_membership")
    c = client_for(staff_user)
    response = c.get(LIST)
    assert response.context["paginator"].estimated is True
    body = response.content.decode()
    assert "约" in body or "About" in body
    filtered = c.get(LIST, {"q": "估计"})
    assert filtered.context["paginator"].estimated is False
    assert filtered.context["paginator"].count == 1


def test_html_in_names_is_shown_as_text(staff_user, client_for, writers):
    m = MembershipFactory(person=PersonFactory(name="<script>x</script>"), association=writers)
    c = client_for(staff_user)
    body = c.get(LIST).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
    body = c.get(reverse("members:member_detail", args=[m.pk])).content.decode()
    assert "<script>x</script>" not in body


# -- query counts ---------------------------------------------------------------------------


def _seed(n, association):
    for i in range(n):
        MembershipFactory(person=PersonFactory(name=f"量{i}"), association=association)


@pytest.mark.parametrize("rows", [30, 300])
def test_list_queries_do_not_grow(
    rows, staff_user, sec_writers, writers, client_for, django_assert_max_num_queries
):
    _seed(rows, writers)
    for user in (staff_user, sec_writers):
        c = client_for(user)
        with django_assert_max_num_queries(15):
            response = c.get(LIST, {"status": "active"})
        assert len(response.context["page"].object_list) == 25
        with django_assert_max_num_queries(15):
            c.get(LIST, {"q": "量", "sort": "joined"})


@pytest.mark.parametrize("extra", [1, 12])
def test_detail_queries_do_not_grow(
    extra, staff_user, writers, client_for, django_assert_max_num_queries
):
    from associations.models import Association

    person = PersonFactory(name="多会")
    mine = MembershipFactory(person=person, association=writers)
    others = list(Association.objects.exclude(pk=writers.pk)[:extra])
    for a in others:
        MembershipFactory(person=person, association=a)
    for i in range(extra):
        person.work_unit = f"单位{i}"
        person.save()
    c = client_for(staff_user)
    with django_assert_max_num_queries(15):
        response = c.get(reverse("members:member_detail", args=[mine.pk]))
    assert len(response.context["other_memberships"]) == len(others)


# -- member page and full ID number ---------------------------------------------------------


def test_detail_shows_masked_id_and_staff_history(staff_user, client_for, writers, admin_user):
    from auditlog.context import set_actor

    person = PersonFactory(name="史记")
    m = MembershipFactory(person=person, association=writers)
    with set_actor(admin_user):
        person.work_unit = "安龙县文化馆"
        person.save()
        m.position = "理事"
        m.save()
    response = client_for(staff_user).get(reverse("members:member_detail", args=[m.pk]))
    body = response.content.decode()
    assert person.id_masked in body and person.id_number not in body
    history = response.context["history"]
    assert history[0]["object"].startswith("史记")
    assert history[0]["changes"][0]["new"] == "理事"
    assert any(c["new"] == "安龙县文化馆" for row in history for c in row["changes"])
    timestamps = [row["timestamp"] for row in history]
    assert timestamps == sorted(timestamps, reverse=True)
    assert "安龙县文化馆" in body and "工作单位" in body  # Chinese field names


def test_secretary_detail_has_no_reveal_button_or_history(sec_writers, client_for, writers):
    m = MembershipFactory(person=PersonFactory(name="秘书看"), association=writers)
    response = client_for(sec_writers).get(reverse("members:member_detail", args=[m.pk]))
    body = response.content.decode()
    assert reverse("members:member_reveal_id", args=[m.pk]) not in body
    assert response.context["history"] == []
    assert m.person.id_masked in body


def test_staff_reveals_full_id_and_it_is_logged(staff_user, client_for, writers):
    person = PersonFactory(name="查身份")
    m = MembershipFactory(person=person, association=writers)
    c = client_for(staff_user)
    url = reverse("members:member_reveal_id", args=[m.pk])
    assert c.get(url).status_code == 405
    response = c.post(url)
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == staff_user
    assert entry.object_id == person.id
    assert entry.content_type == ContentType.objects.get_for_model(Person)
    assert entry.additional_data == {"event": "reveal_id_number"}
    # a later plain view shows the masked number again, and the history lists the viewing
    again = c.get(reverse("members:member_detail", args=[m.pk])).content.decode()
    assert person.id_number not in again
    assert "查看完整身份证号" in again or "Viewed the full ID number" in again


def test_reveal_service_refuses_non_staff(sec_writers, writers):
    from django.core.exceptions import PermissionDenied

    from members.services import person_reveal_id_number

    person = PersonFactory(name="拒绝")
    with pytest.raises(PermissionDenied):
        person_reveal_id_number(person=person, actor=sec_writers)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_membership_status_display_and_links(staff_user, client_for, writers):
    m = MembershipFactory(
        person=PersonFactory(name="状态"), association=writers, status=Membership.Status.SUSPENDED
    )
    body = client_for(staff_user).get(LIST).content.decode()
    assert reverse("members:member_detail", args=[m.pk]) in body


def test_filter_form_keeps_choices_and_labels(staff_user, client_for, writers):
    body = (
        client_for(staff_user)
        .get(LIST, {"gender": "F", "association": writers.id})
        .content.decode()
    )
    assert '<label for="id_gender">' in body and '<select id="id_gender" name="gender">' in body
    assert '<option value="F" selected>' in body
    assert f'<option value="{writers.id}" selected>' in body
    assert '<option value="true">' in body  # yes/no filters
