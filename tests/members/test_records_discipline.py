"""Discipline and exit (MEM-06): decisions, status transitions, self-withdrawal, the
re-application bar through the real application service, pages and roles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Application, DisciplineDecision, Membership, Person
from notifications.models import Notification
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.members.apply_support import (  # noqa: F401 - fixtures
    BIRTH,
    applicant_fixture,
    id_for,
    make_draft,
    private_media_fixture,
    referees_fixture,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
K = DisciplineDecision.Kind
S = Membership.Status


def membership_of(user) -> Membership:
    return Membership.objects.get(person__user=user)


def decide(membership, actor, kind, **extra):
    values = {
        "reason": "违反会员义务。",
        "decided_on": timezone.localdate(),
        "decider": "作协理事会",
        "council_resolution": "2026年理事会表决通过（21票赞成）。" if kind == K.EXPULSION else "",
    }
    values.update(extra)
    return services.discipline_record(membership=membership, actor=actor, kind=kind, **values)


def codes(exc: ValidationError) -> dict:
    return {f: [e.code for e in errs] for f, errs in exc.error_dict.items()}


# --------------------------------------------------------------------------- #
# transitions
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("kind", [K.CRITICISM, K.WARNING, K.REFERRAL])
def test_status_unchanged_kinds(kind, member_user, staff_user):
    m = membership_of(member_user)
    d = decide(m, staff_user, kind)
    m.refresh_from_db()
    assert m.status == S.ACTIVE and m.left_on is None
    assert (d.status_before, d.status_after) == (S.ACTIVE, S.ACTIVE)


def test_suspension_then_reinstatement(member_user, sec_writers):
    m = membership_of(member_user)
    d = decide(m, sec_writers, K.SUSPENSION)
    m.refresh_from_db()
    assert m.status == S.SUSPENDED and (d.status_before, d.status_after) == (S.ACTIVE, S.SUSPENDED)
    decide(m, sec_writers, K.WARNING)  # a warning while suspended keeps the suspension
    m.refresh_from_db()
    assert m.status == S.SUSPENDED
    d = decide(m, sec_writers, K.REINSTATEMENT)
    m.refresh_from_db()
    assert m.status == S.ACTIVE and d.status_after == S.ACTIVE


def test_reinstatement_only_from_suspended(member_user, staff_user):
    with pytest.raises(ValidationError) as exc:
        decide(membership_of(member_user), staff_user, K.REINSTATEMENT)
    assert exc.value.code == "bad_transition"
    assert str(Membership.Status.ACTIVE.label) in exc.value.messages[0]
    assert not DisciplineDecision.objects.exists()


def test_expulsion_needs_council_vote(member_user, staff_user):
    m = membership_of(member_user)
    with pytest.raises(ValidationError) as exc:
        decide(m, staff_user, K.EXPULSION, council_resolution="  ")
    assert codes(exc.value) == {"council_resolution": ["council_required"]}
    m.refresh_from_db()
    assert m.status == S.ACTIVE and not DisciplineDecision.objects.exists()


def test_expulsion_ends_membership_keeps_number(member_user, staff_user):
    m = membership_of(member_user)
    number = m.number
    day = timezone.localdate() - timedelta(days=3)
    d = decide(m, staff_user, K.EXPULSION, decided_on=day)
    m.refresh_from_db()
    assert m.status == S.EXPELLED and m.left_on == day and m.number == number
    assert (d.status_before, d.status_after) == (S.ACTIVE, S.EXPELLED)
    assert d.recorded_by == staff_user
    # impossible afterwards: suspending or withdrawing an expelled member
    for kind in (K.SUSPENSION, K.WITHDRAWAL, K.REINSTATEMENT, K.WARNING):
        with pytest.raises(ValidationError) as exc:
            decide(m, staff_user, kind)
        assert exc.value.code == "bad_transition"
        assert str(S.EXPELLED.label) in exc.value.messages[0]
    decide(m, staff_user, K.REFERRAL)  # a referral is still possible
    assert DisciplineDecision.objects.filter(membership=m).count() == 2


def test_withdrawal_by_staff_sets_left_on(member_user, staff_user):
    m = membership_of(member_user)
    decide(m, staff_user, K.WITHDRAWAL)
    m.refresh_from_db()
    assert m.status == S.WITHDRAWN and m.left_on == timezone.localdate()


def test_dates_and_required_fields(member_user, staff_user):
    m = membership_of(member_user)
    with pytest.raises(ValidationError) as exc:
        decide(m, staff_user, K.WARNING, decided_on=timezone.localdate() + timedelta(days=1))
    assert codes(exc.value) == {"decided_on": ["future"]}
    with pytest.raises(ValidationError) as exc:
        decide(m, staff_user, K.WARNING, decided_on=m.joined_on - timedelta(days=1))
    assert codes(exc.value) == {"decided_on": ["before_joining"]}
    with pytest.raises(ValidationError) as exc:
        decide(m, staff_user, K.WARNING, reason="", decider="")
    assert codes(exc.value) == {"reason": ["required"], "decider": ["required"]}
    assert not DisciplineDecision.objects.exists()


def test_scope_of_secretaries(member_user, sec_photo, sec_writers):
    with pytest.raises(PermissionDenied):
        decide(membership_of(member_user), sec_photo, K.WARNING)
    with pytest.raises(PermissionDenied):
        decide(membership_of(member_user), member_user, K.WARNING)
    decide(membership_of(member_user), sec_writers, K.WARNING)


def test_notified_once_per_decision(member_user, staff_user):
    m = membership_of(member_user)
    decide(m, staff_user, K.WARNING)
    decide(m, staff_user, K.SUSPENSION)
    decide(m, staff_user, K.EXPULSION)
    notes = Notification.objects.filter(recipient=member_user).order_by("id")
    assert notes.count() == 3
    assert "作协理事会" in notes.last().body
    assert notes.last().url == reverse("me:records")
    assert Notification.objects.exclude(recipient=member_user).count() == 0


# --------------------------------------------------------------------------- #
# the re-application bar, through the real application service
# --------------------------------------------------------------------------- #
def _expelled_person(writers, staff_user, decided_on):
    user = UserFactory(username="t_expelled", full_name="韦小明")
    person = PersonFactory(
        name="韦小明", user=user, id_number=id_for(1), birth_date=BIRTH, gender="M"
    )
    m = MembershipFactory(person=person, association=writers, joined_on=date(2020, 5, 1))
    decide(m, staff_user, K.EXPULSION, decided_on=decided_on)
    return m


def test_expelled_person_cannot_apply_again_within_bar(
    writers, staff_user, applicant, referees, settings
):
    settings.MEMBERSHIP_REAPPLY_BAR_YEARS = 3
    m = _expelled_person(writers, staff_user, timezone.localdate() - timedelta(days=30))
    app = make_draft(applicant, writers, referees, seq=1)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert "expelled_bar" in codes(exc.value)["association"]
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT
    m.refresh_from_db()
    assert m.status == S.EXPELLED


def test_expelled_person_may_apply_after_bar(writers, staff_user, applicant, referees, settings):
    settings.MEMBERSHIP_REAPPLY_BAR_YEARS = 3
    _expelled_person(writers, staff_user, date(2021, 1, 10))
    app = make_draft(applicant, writers, referees, seq=1)
    app = services.application_submit(application=app, actor=applicant)
    assert app.status == Application.Status.REFEREES


# --------------------------------------------------------------------------- #
# self-service withdrawal
# --------------------------------------------------------------------------- #
def test_member_withdraws_through_the_page(member_user, client_for):
    client = client_for(member_user)
    m = membership_of(member_user)
    records = client.get(reverse("me:records")).content.decode()
    assert reverse("me:withdraw", args=[m.pk]) in records
    url = reverse("me:withdraw", args=[m.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "年事已高。"})  # no confirmation
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    m.refresh_from_db()
    assert m.status == S.ACTIVE
    response = client.post(url, {"reason": "年事已高。", "confirm": "on"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == S.WITHDRAWN and m.left_on == timezone.localdate() and m.number
    d = DisciplineDecision.objects.get()
    assert d.kind == K.WITHDRAWAL and d.recorded_by == member_user
    assert d.decider == services.SELF_WITHDRAWAL_DECIDER
    assert Notification.objects.filter(recipient=member_user).count() == 1
    page = client.get(reverse("me:records")).content.decode()
    assert "年事已高" in page
    # no second withdrawal
    again = client.get(url).content.decode()
    assert 'data-testid="cannot-withdraw"' in again
    response = client.post(url, {"reason": "again", "confirm": "on"})
    assert response.status_code == 200
    assert DisciplineDecision.objects.count() == 1


def test_self_withdrawal_only_own_and_active(member_user, staff_user):
    m = membership_of(member_user)
    with pytest.raises(PermissionDenied):
        services.membership_withdraw(membership=m, actor=staff_user, reason="x")
    decide(m, staff_user, K.SUSPENSION)
    with pytest.raises(ValidationError) as exc:
        services.membership_withdraw(membership=m, actor=member_user, reason="x")
    assert exc.value.code == "bad_transition"


# --------------------------------------------------------------------------- #
# pages and roles
# --------------------------------------------------------------------------- #
def _expect(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want, response.status_code


FORM_MATRIX = {
    "anonymous": "login",
    "member": 404,
    "sec_writers": 200,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", FORM_MATRIX)
def test_discipline_form_role_matrix(role, role_users, client_for, member_user):
    m = membership_of(member_user)
    client = client_for(role_users[role])
    url = reverse("members:discipline_new", args=[m.pk])
    _expect(client.get(url), FORM_MATRIX[role])
    response = client.post(
        url,
        {
            "kind": K.SUSPENSION,
            "reason": "多次违纪。",
            "decided_on": timezone.localdate().isoformat(),
            "decider": "作协主席团",
        },
    )
    m.refresh_from_db()
    if FORM_MATRIX[role] == 200:
        assert response.status_code == 302
        assert m.status == S.SUSPENDED
        detail = client.get(reverse("members:member_detail", args=[m.pk])).content.decode()
        assert 'data-testid="discipline-section"' in detail and "多次违纪" in detail
    else:
        _expect(response, FORM_MATRIX[role])
        assert m.status == S.ACTIVE and not DisciplineDecision.objects.exists()


def test_photo_secretary_records_on_own_association(
    sec_photo, sec_writers, photographers, client_for
):
    m = MembershipFactory(association=photographers)
    url = reverse("members:discipline_new", args=[m.pk])
    assert client_for(sec_writers).get(url).status_code == 404
    assert client_for(sec_photo).get(url).status_code == 200


def test_form_messages(member_user, staff_user, client_for):
    m = membership_of(member_user)
    client = client_for(staff_user)
    url = reverse("members:discipline_new", args=[m.pk])
    base = {
        "reason": "严重违纪。",
        "decided_on": timezone.localdate().isoformat(),
        "decider": "作协理事会",
    }
    response = client.post(url, {**base, "kind": K.EXPULSION})
    assert response.status_code == 200
    assert response.context["form"].errors["council_resolution"]
    response = client.post(url, {**base, "kind": K.REINSTATEMENT})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="form-error"' in body
    m.refresh_from_db()
    assert m.status == S.ACTIVE and not DisciplineDecision.objects.exists()


ATTACHMENT_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "other_member": 404,
    "sec_writers": 200,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", ATTACHMENT_MATRIX)
def test_attachment_role_matrix(role, role_users, client_for, member_user, staff_user):
    other = UserFactory(username="t_other_member")
    MembershipFactory(person=PersonFactory(name="王其他", user=other))
    users = {**role_users, "other_member": other}
    m = membership_of(member_user)
    client_for(staff_user).post(
        reverse("members:discipline_new", args=[m.pk]),
        {
            "kind": K.WARNING,
            "reason": "警告。",
            "decided_on": timezone.localdate().isoformat(),
            "decider": "作协主席团",
            "attachment": SimpleUploadedFile("决定.pdf", PDF, content_type="application/pdf"),
        },
    )
    d = DisciplineDecision.objects.get()
    assert d.attachment.name.endswith(".pdf")
    response = client_for(users[role]).get(reverse("members:discipline_attachment", args=[d.pk]))
    _expect(response, ATTACHMENT_MATRIX[role])


SELF_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "sec_writers": 404,
    "sec_photo": 404,
    "staff": 404,
}


@pytest.mark.parametrize("role", SELF_MATRIX)
def test_self_pages_role_matrix(role, role_users, client_for, member_user):
    client = client_for(role_users[role])
    _expect(client.get(reverse("me:records")), SELF_MATRIX[role])
    url = reverse("me:withdraw", args=[membership_of(member_user).pk])
    _expect(client.get(url), SELF_MATRIX[role])


def test_cannot_withdraw_someone_elses_membership(member_user, client_for):
    other = MembershipFactory()
    client = client_for(member_user)
    url = reverse("me:withdraw", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    other.refresh_from_db()
    assert other.status == S.ACTIVE


def test_member_detail_constant_queries_with_history(
    member_user, staff_user, client_for, django_assert_max_num_queries
):
    m = membership_of(member_user)
    client = client_for(staff_user)
    url = reverse("members:member_detail", args=[m.pk])
    decide(m, staff_user, K.WARNING)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _ in range(6):
        decide(m, staff_user, K.CRITICISM)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("作协理事会") >= 7


def test_admin_lists_read_only(admin_user, member_user, staff_user, client_for):
    d = decide(membership_of(member_user), staff_user, K.WARNING)
    client = client_for(admin_user)
    assert client.get("/admin/members/disciplinedecision/").status_code == 200
    assert client.get("/admin/members/identitychangerequest/").status_code == 200
    assert client.get("/admin/members/disciplinedecision/add/").status_code == 403
    assert client.get(f"/admin/members/disciplinedecision/{d.pk}/delete/").status_code == 403
    assert client.get(f"/admin/members/disciplinedecision/{d.pk}/change/").status_code == 200
    assert Person.objects.filter(user=member_user).exists()


def test_suspended_member_cannot_rejoin_by_applying(writers):
    """A suspension ends by a reinstatement decision, not by a new application."""
    from tests.members.apply_support import BIRTH, id_for, make_applicant, make_draft, make_referee

    person = PersonFactory(name="韦小明", id_number=id_for(1), birth_date=BIRTH, gender="M")
    MembershipFactory(person=person, association=writers, status=Membership.Status.SUSPENDED)
    referees = [
        make_referee(writers, "甲", "AL-ZJ-T-1", "ref_a"),
        make_referee(writers, "乙", "AL-ZJ-T-2", "ref_b"),
    ]
    application = make_draft(make_applicant(), writers, referees, seq=1)
    with pytest.raises(ValidationError) as exc:
        services.application_check(application=application)
    codes = {e.code for errors in exc.value.error_dict.values() for e in errors}
    assert "duplicate" in codes


def test_lapse_decision_from_the_review_list(staff_user, writers):
    """视为自动退会 is a decision a person records; the membership then counts as left."""
    membership = MembershipFactory(association=writers, joined_on=date(2018, 1, 1))
    services.discipline_record(
        membership=membership,
        actor=staff_user,
        kind=DisciplineDecision.Kind.LAPSE,
        reason="2025年度未注册，也未参加任何活动，经联系本人确认",
        decided_on=timezone.localdate(),
        decider="协会理事会",
        council_resolution="",
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LAPSED
    assert membership.left_on == timezone.localdate()
    decision = membership.discipline_decisions.get()
    assert (decision.status_before, decision.status_after) == ("active", "lapsed")


def test_review_list_links_to_a_preselected_lapse_decision(client_for, staff_user, writers):
    membership = MembershipFactory(association=writers)
    page = client_for(staff_user).get(
        reverse("members:discipline_new", args=[membership.pk]) + "?kind=lapse"
    )
    assert page.status_code == 200
    assert 'value="lapse" selected' in page.content.decode()
