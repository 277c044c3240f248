"""Governance pages: role matrix, the staff leadership page, the secretary's read-only view,
the hand-over of the secretary scope, duty registration, contacts, meetings, dashboards."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations.models import Body, ContactLog, DutyRegistration, Meeting, Office, Role, Term
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ALL_ROLES = ("anonymous", "member", "sec_writers", "sec_photo", "staff")


def _writers_only():
    return {"anonymous": "login", "member": 404, "sec_writers": 200, "sec_photo": 404, "staff": 200}


def _staff_only():
    return {"anonymous": "login", "member": 404, "sec_writers": 404, "sec_photo": 404, "staff": 200}


MATRIX = {
    "leadership_zj": ("associations:leadership", {"code": "ZJ"}, _writers_only()),
    "leadership_sy": (
        "associations:leadership",
        {"code": "SY"},
        {"anonymous": "login", "member": 404, "sec_writers": 404, "sec_photo": 200, "staff": 200},
    ),
    "duty_zj": ("associations:duty_overview", {"code": "ZJ"}, _writers_only()),
    "contacts_zj": ("associations:contacts", {"code": "ZJ"}, _writers_only()),
    "meetings_zj": ("associations:meetings", {"code": "ZJ"}, _writers_only()),
    "presidium": ("associations:federation_leadership", {"body": "presidium"}, _staff_only()),
    "committee": ("associations:federation_leadership", {"body": "committee"}, _staff_only()),
    "presidium_meetings": (
        "associations:federation_meetings",
        {"body": "presidium"},
        _staff_only(),
    ),
    "federation_duty": ("associations:federation_duty", {}, _staff_only()),
    "unknown_body": (
        "associations:federation_leadership",
        {"body": "council"},
        {"anonymous": "login", "member": 404, "sec_writers": 404, "sec_photo": 404, "staff": 404},
    ),
    "my_duty": (
        "associations:my_duty",
        {},
        {"anonymous": "login", "member": 200, "sec_writers": 200, "sec_photo": 200, "staff": 200},
    ),
    "public_zj": (
        "associations:public_detail",
        {"code": "ZJ"},
        {"anonymous": 200, "member": 200, "sec_writers": 200, "sec_photo": 200, "staff": 200},
    ),
    "admin_terms": (
        "admin:associations_term_changelist",
        {},
        {
            "anonymous": "admin_login",
            "member": "admin_login",
            "sec_writers": "admin_login",
            "sec_photo": "admin_login",
            "staff": 200,
        },
    ),
}

CASES = [(page, role) for page, (_, _, expected) in MATRIX.items() for role in expected]


def _check(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    elif want == "admin_login":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == want


@pytest.mark.parametrize("page,role", CASES)
def test_governance_role_matrix(page, role, role_users, client_for):
    name, kwargs, expected = MATRIX[page]
    _check(client_for(role_users[role]).get(reverse(name, kwargs=kwargs)), expected[role])


# -- Staff set up a leadership; the secretary reads it --------------------------------------


def _today():
    return timezone.localdate()


@pytest.fixture
def zj_term(writers):
    today = _today()
    return services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=3,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=1400),
        actor=None,
    )


def _member(association, name, **kw):
    return MembershipFactory(person=PersonFactory(name=name, **kw), association=association)


def test_staff_create_term_and_appoint(staff_user, writers, client_for):
    c = client_for(staff_user)
    url = reverse("associations:leadership", kwargs={"code": "ZJ"})
    today = _today()
    r = c.post(
        url,
        {
            "action": "term",
            "number": 4,
            "starts_on": (today - timedelta(days=10)).isoformat(),
            "ends_on": (today + timedelta(days=1800)).isoformat(),
        },
    )
    assert r.status_code == 302
    term = Term.objects.get(association=writers, number=4)
    m = _member(writers, "罗主席")
    r = c.post(
        url,
        {"action": "appoint", "term": term.id, "member_number": m.number, "role": Role.CHAIR},
    )
    assert r.status_code == 302
    assert Office.objects.get(term=term, role=Role.CHAIR).person == m.person
    # The second chair is refused with the rule named and nothing saved.
    m2 = _member(writers, "杨第二")
    r = c.post(
        url,
        {"action": "appoint", "term": term.id, "member_number": m2.number, "role": Role.CHAIR},
    )
    assert r.status_code == 200
    assert r.context["appoint_form"].errors
    assert Office.objects.filter(term=term).count() == 1
    # The public page shows the current leadership.
    body = c.get(reverse("associations:public_detail", kwargs={"code": "ZJ"})).content.decode()
    assert "罗主席" in body


def test_term_end_before_start_shows_error(staff_user, client_for):
    r = client_for(staff_user).post(
        reverse("associations:leadership", kwargs={"code": "ZJ"}),
        {"action": "term", "number": 1, "starts_on": "2026-01-01", "ends_on": "2025-01-01"},
    )
    assert r.status_code == 200 and r.context["term_form"].non_field_errors()
    assert not Term.objects.exists()


def test_member_of_other_association_cannot_be_appointed(
    staff_user, writers, photographers, zj_term, client_for
):
    m = _member(photographers, "外会会员")
    r = client_for(staff_user).post(
        reverse("associations:leadership", kwargs={"code": "ZJ"}),
        {"action": "appoint", "term": zj_term.id, "member_number": m.number, "role": Role.DIRECTOR},
    )
    assert r.status_code == 200 and "member_number" in r.context["appoint_form"].errors
    assert not Office.objects.exists()


def test_secretary_reads_but_cannot_change(sec_writers, writers, zj_term, client_for):
    m = _member(writers, "理事甲")
    services.office_appoint(term=zj_term, person=m.person, role=Role.DIRECTOR, actor=None)
    c = client_for(sec_writers)
    url = reverse("associations:leadership", kwargs={"code": "ZJ"})
    r = c.get(url)
    assert r.status_code == 200 and "理事甲" in r.content.decode()
    assert r.context["can_edit"] is False
    office = Office.objects.get()
    r = c.post(url, {"action": "remove", "office": office.id})
    assert r.status_code == 403
    assert Office.objects.filter(pk=office.pk).exists()


def test_staff_cannot_end_an_office_through_another_associations_page(
    staff_user, writers, zj_term, client_for
):
    m = _member(writers, "理事乙")
    office = services.office_appoint(term=zj_term, person=m.person, role=Role.DIRECTOR, actor=None)
    r = client_for(staff_user).post(
        reverse("associations:leadership", kwargs={"code": "SY"}),
        {"action": "remove", "office": office.id},
    )
    assert r.status_code == 404


def test_permission_hand_over_at_term_end(staff_user, writers, zj_term, client_for):
    """Appointing a secretary-general grants the dashboard; ending the office takes it away
    the same day, and the pages then answer 404."""
    user = UserFactory(username="new_sec")
    m = _member(writers, "新秘书长", user=user)
    c = client_for(staff_user)
    url = reverse("associations:leadership", kwargs={"code": "ZJ"})
    c.post(
        url,
        {
            "action": "appoint",
            "term": zj_term.id,
            "member_number": m.number,
            "role": Role.SECRETARY_GENERAL,
        },
    )
    office = Office.objects.get(role=Role.SECRETARY_GENERAL)
    sec = client_for(user)
    assert sec.get("/dashboard/association/ZJ/").status_code == 200
    assert sec.get(reverse("associations:contacts", kwargs={"code": "ZJ"})).status_code == 200
    c = client_for(staff_user)
    r = c.post(
        url,
        {"action": "end", "office": office.id, "ends_on": _today().isoformat(), "reason": "调任"},
    )
    assert r.status_code == 302
    sec = client_for(user)
    assert sec.get("/dashboard/association/ZJ/").status_code == 404
    assert sec.get(reverse("associations:leadership", kwargs={"code": "ZJ"})).status_code == 404


def test_expiry_job_hands_over(writers, client_for):
    today = _today()
    term = services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=1,
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=1),
        actor=None,
    )
    user = UserFactory(username="leaving_sec")
    services.office_appoint(
        term=term,
        person=PersonFactory(user=user),
        role=Role.SECRETARY_GENERAL,
        actor=None,
    )
    assert client_for(user).get("/dashboard/association/ZJ/").status_code == 200
    services.offices_expire(today=today + timedelta(days=1))
    assert client_for(user).get("/dashboard/association/ZJ/").status_code == 404


# -- Duty registration ----------------------------------------------------------------------


def test_office_holder_files_duty_from_member_centre(member_user, writers, zj_term, client_for):
    person = member_user.person
    services.office_appoint(term=zj_term, person=person, role=Role.DIRECTOR, actor=None)
    c = client_for(member_user)
    assert "member-duty" in c.get("/me/").content.decode()
    year = _today().year
    r = c.post(reverse("associations:my_duty"), {"year": year, "text": "组织文学讲座两场。"})
    assert r.status_code == 302
    assert DutyRegistration.objects.get(person=person, year=year).text == "组织文学讲座两场。"


def test_member_without_office_cannot_file(member_user, client_for):
    r = client_for(member_user).post(
        reverse("associations:my_duty"), {"year": _today().year, "text": "x"}
    )
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not DutyRegistration.objects.exists()
    assert "member-duty" not in client_for(member_user).get("/me/").content.decode()


def test_secretary_sees_who_has_not_filed(sec_writers, writers, photographers, zj_term, client_for):
    filed, missing = _member(writers, "已登记"), _member(writers, "未登记")
    for m in (filed, missing):
        services.office_appoint(term=zj_term, person=m.person, role=Role.DIRECTOR, actor=None)
    sy_term = services.term_create(
        body=Body.COUNCIL,
        association=photographers,
        number=1,
        starts_on=zj_term.starts_on,
        ends_on=zj_term.ends_on,
        actor=None,
    )
    services.office_appoint(
        term=sy_term,
        person=_member(photographers, "摄协理事").person,
        role=Role.DIRECTOR,
        actor=None,
    )
    year = _today().year
    services.duty_register(person=filed.person, year=year, text="工作总结", actor=None)
    r = client_for(sec_writers).get(reverse("associations:duty_overview", kwargs={"code": "ZJ"}))
    body = r.content.decode()
    assert "已登记" in body and "未登记" in body and "摄协理事" not in body
    (group,) = r.context["groups"]
    assert (group.filed, group.total) == (1, 2)
    assert [row.name for row in group.missing] == ["未登记"]
    dash = client_for(sec_writers).get("/dashboard/association/ZJ/").content.decode()
    assert "1 / 2" in dash


# -- Contact log ----------------------------------------------------------------------------


def test_secretary_logs_contact_with_own_member_only(
    sec_writers, writers, photographers, client_for
):
    own, other = _member(writers, "本会会员"), _member(photographers, "他会会员")
    c = client_for(sec_writers)
    url = reverse("associations:contacts", kwargs={"code": "ZJ"})
    data = {
        "contacted_on": _today().isoformat(),
        "channel": "visit",
        "topic": "走访了解创作困难",
        "problem": "缺少发表渠道",
        "resolution": "推荐至县文艺刊物",
    }
    assert c.post(url, {**data, "member_number": other.number}).status_code == 200
    assert not ContactLog.objects.exists()
    assert c.post(url, {**data, "member_number": own.number}).status_code == 302
    entry = ContactLog.objects.get()
    assert entry.membership == own and entry.logged_by == sec_writers
    assert "本会会员" in c.get(url).content.decode()


def test_contacts_page_query_bound(sec_writers, writers, django_assert_max_num_queries, client_for):
    members = [_member(writers, f"会员{i}") for i in range(5)]
    ContactLog.objects.bulk_create(
        ContactLog(
            association=writers,
            membership=members[i % 5],
            contacted_on=date(2026, 1, 1),
            channel="phone",
            topic=f"话题{i}",
            logged_by=sec_writers,
        )
        for i in range(60)
    )
    c = client_for(sec_writers)
    with django_assert_max_num_queries(15):
        r = c.get(reverse("associations:contacts", kwargs={"code": "ZJ"}))
    assert r.status_code == 200 and len(r.context["page"]) == 50


# -- Meetings -------------------------------------------------------------------------------


def test_presidium_meeting_recorded_with_quorum(staff_user, client_for):
    today = _today()
    term = services.term_create(
        body=Body.PRESIDIUM,
        number=9,
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=1500),
        actor=None,
    )
    people = [PersonFactory() for _ in range(3)]
    services.office_appoint(term=term, person=people[0], role=Role.CHAIR, actor=None)
    for p in people[1:]:
        services.office_appoint(term=term, person=p, role=Role.PART_TIME_VICE_CHAIR, actor=None)
    c = client_for(staff_user)
    url = reverse("associations:federation_meetings", kwargs={"body": "presidium"})
    r = c.post(
        url,
        {
            "term": term.id,
            "held_on": today.isoformat(),
            "title": "主席团会议",
            "present": [str(people[0].id), str(people[1].id)],
            "decisions": "通过年度计划",
        },
    )
    assert r.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.present, meeting.expected, meeting.quorate) == (2, 3, True)
    assert "主席团会议" in c.get(url).content.decode()


# -- Dashboards -----------------------------------------------------------------------------


def _populate(offices_per_term=6):
    """Terms for every association (created once, then reused) with offices, contacts and
    duty registrations, so that later calls grow the data."""
    from associations.models import Association

    today = _today()
    logger = UserFactory(username="contact_logger")
    for a in Association.objects.all():
        term = Term.objects.filter(association=a, number=1).first() or services.term_create(
            body=Body.COUNCIL,
            association=a,
            number=1,
            starts_on=today - timedelta(days=300),
            ends_on=today + timedelta(days=30),
            actor=None,
        )
        for i in range(offices_per_term):
            m = MembershipFactory(association=a)
            has_chair = Office.objects.filter(term=term, role=Role.CHAIR).exists()
            services.office_appoint(
                term=term,
                person=m.person,
                role=Role.DIRECTOR if has_chair else Role.CHAIR,
                actor=None,
                cadre=False,
            )
            if i % 2:
                DutyRegistration.objects.create(person=m.person, year=today.year, text="总结")
            ContactLog.objects.create(
                association=a,
                membership=m,
                contacted_on=today,
                channel="phone",
                topic="联系",
                logged_by=logger,
            )


def test_staff_dashboard_warnings_and_constant_queries(
    staff_user, client_for, django_assert_max_num_queries
):
    c = client_for(staff_user)
    body = c.get("/dashboard/staff/").content.decode()
    assert 'data-code="presidium_no_term"' in body
    assert 'data-code="association_missing_officer"' in body
    _populate(offices_per_term=2)
    c.get("/dashboard/staff/")  # warm-up (sessions, content types)
    with django_assert_max_num_queries(40) as ctx_small:
        r = c.get("/dashboard/staff/")
    small = len(ctx_small.captured_queries)
    assert r.status_code == 200
    _populate(offices_per_term=8)
    with django_assert_max_num_queries(small) as ctx_big:
        r = c.get("/dashboard/staff/")
    body = r.content.decode()
    assert len(ctx_big.captured_queries) <= small
    assert "ending-soon" in body  # every council ends within 30 days


def test_staff_dashboard_rule_warnings(staff_user, writers, client_for):
    today = _today()
    term = services.term_create(
        body=Body.PRESIDIUM,
        number=1,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=1400),
        actor=None,
    )
    for _ in range(4):
        services.office_appoint(
            term=term, person=PersonFactory(), role=Role.PART_TIME_VICE_CHAIR, actor=None
        )
    zj = services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=1,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=1400),
        actor=None,
    )
    services.office_appoint(
        term=zj,
        person=PersonFactory(name="干部主席"),
        role=Role.CHAIR,
        cadre=True,
        justification="经县委宣传部同意",
        actor=None,
    )
    body = client_for(staff_user).get("/dashboard/staff/").content.decode()
    assert 'data-code="presidium_few_vice_chairs"' in body
    assert 'data-code="presidium_no_meeting"' in body
    assert 'data-code="officer_flagged"' in body and "干部主席" in body
    # Writers now have a chair but still no secretary-general.
    assert "安龙县作家协会" in body


def test_secretary_dashboard_constant_queries(
    sec_writers, client_for, django_assert_max_num_queries
):
    _populate(offices_per_term=2)
    c = client_for(sec_writers)
    c.get("/dashboard/association/ZJ/")
    with django_assert_max_num_queries(40) as small:
        c.get("/dashboard/association/ZJ/")
    _populate(offices_per_term=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = c.get("/dashboard/association/ZJ/")
    assert r.status_code == 200 and "governance-secretary" in r.content.decode()


def test_leadership_page_constant_queries(
    staff_user, writers, client_for, django_assert_max_num_queries
):
    _populate(offices_per_term=3)
    c = client_for(staff_user)
    url = reverse("associations:leadership", kwargs={"code": "ZJ"})
    c.get(url)
    with django_assert_max_num_queries(25) as small:
        c.get(url)
    term = Term.objects.get(association=writers)
    for _ in range(20):
        services.office_appoint(
            term=term,
            person=MembershipFactory(association=writers).person,
            role=Role.DIRECTOR,
            actor=None,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = c.get(url)
    assert len(r.context["terms"][0].offices.all()) == 23


def test_switch_between_two_associations(writers, photographers, client_for):
    today = _today()
    user = UserFactory(username="two_hats")
    person = PersonFactory(user=user)
    for a in (writers, photographers):
        term = services.term_create(
            body=Body.COUNCIL,
            association=a,
            number=1,
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=1000),
            actor=None,
        )
        services.office_appoint(term=term, person=person, role=Role.SECRETARY_GENERAL, actor=None)
    c = client_for(user)
    body = c.get("/dashboard/association/ZJ/").content.decode()
    assert 'href="/dashboard/association/SY/"' in body
    assert c.get("/dashboard/association/SY/").status_code == 200
