"""Identity change requests (MEM-05): filing, validation, staff review, pages and roles."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import services
from members.idcard import make_test_id_number, mask_id_number
from members.models import EthnicGroup, IdentityChangeRequest, Person
from members.search import name_pinyin
from notifications.models import Notification
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def person_of(user) -> Person:
    return Person.objects.get(user=user)


def new_id(person, *, seq=901, birth=None):
    """A valid ID number agreeing with the person's birth date and gender (odd = male)."""
    seq = seq if person.gender == "M" else seq + 1
    return make_test_id_number("522328", birth or person.birth_date, seq)


def file_request(user, **values):
    values.setdefault("reason", "派出所已更正。")
    return services.change_request_file(person=person_of(user), actor=user, **values)


def codes(exc: ValidationError) -> dict:
    return {f: [e.code for e in errs] for f, errs in exc.error_dict.items()}


def other_member():
    user = UserFactory(username="t_other_member", full_name="王其他")
    MembershipFactory(person=PersonFactory(name="王其他", user=user))
    return user


# --------------------------------------------------------------------------- #
# service: filing and validation
# --------------------------------------------------------------------------- #
def test_file_name_change_keeps_only_real_changes(member_user):
    person = person_of(member_user)
    req = file_request(member_user, new_name="龙 雪 英", new_gender=person.gender)
    assert req.status == IdentityChangeRequest.Status.PENDING
    assert req.new_name == "龙雪英"
    assert req.new_gender == ""  # same as now: not a change
    assert req.requested_by == member_user


@pytest.mark.parametrize(
    "bad,code",
    [
        ("52232819900101123", "length"),
        ("522328199013011234", "date"),
    ],
)
def test_new_id_number_checked_for_length_and_date(member_user, bad, code):
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_id_number=bad)
    assert codes(exc.value) == {"new_id_number": [code]}
    assert not IdentityChangeRequest.objects.exists()


def test_new_id_number_checksum(member_user):
    good = new_id(person_of(member_user))
    last = "0" if good[-1] != "0" else "1"
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_id_number=good[:-1] + last)
    assert codes(exc.value) == {"new_id_number": ["checksum"]}


def test_new_id_must_agree_with_current_birth_date(member_user):
    person = person_of(member_user)
    other_birth = date(person.birth_date.year - 1, 3, 3)
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_id_number=new_id(person, birth=other_birth))
    assert codes(exc.value) == {"new_id_number": ["birth_date_mismatch"]}
    # ... unless the birth date is corrected in the same request
    req = file_request(
        member_user, new_id_number=new_id(person, birth=other_birth), new_birth_date=other_birth
    )
    assert req.new_birth_date == other_birth
    assert req.new_id_masked == mask_id_number(new_id(person, birth=other_birth))


def test_new_birth_date_must_agree_with_current_id(member_user):
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_birth_date=date(1950, 1, 2))
    assert codes(exc.value) == {"new_birth_date": ["birth_date_mismatch"]}


def test_new_gender_must_agree_with_id(member_user):
    person = person_of(member_user)
    other = "F" if person.gender == "M" else "M"
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_gender=other)
    assert codes(exc.value) == {"new_gender": ["gender_mismatch"]}


def test_id_of_another_person_refused_without_saying_whose(member_user):
    stranger = PersonFactory(name="韦秘密")
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_id_number=stranger.id_number)
    assert codes(exc.value) == {"new_id_number": ["duplicate"]}
    text = " ".join(exc.value.messages)
    assert "韦秘密" not in text and stranger.id_masked not in text


def test_no_change_and_missing_reason(member_user):
    person = person_of(member_user)
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_name=person.name)
    assert exc.value.code == "no_change"
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_name="龙新名", reason="  ")
    assert codes(exc.value) == {"reason": ["reason_required"]}


def test_one_pending_request_at_a_time(member_user):
    file_request(member_user, new_name="龙新名")
    with pytest.raises(ValidationError) as exc:
        file_request(member_user, new_name="龙另名")
    assert exc.value.code == "pending_exists"
    assert IdentityChangeRequest.objects.count() == 1


def test_only_own_person(member_user, staff_user):
    with pytest.raises(PermissionDenied):
        services.change_request_file(
            person=person_of(member_user), actor=staff_user, reason="x", new_name="龙新名"
        )


# --------------------------------------------------------------------------- #
# service: decisions
# --------------------------------------------------------------------------- #
def test_approve_applies_all_changes_with_audit_and_notice(member_user, staff_user):
    person = person_of(member_user)
    birth = date(1985, 7, 9)
    number = new_id(person, birth=birth)
    group = EthnicGroup.objects.get(code="09")
    req = file_request(
        member_user,
        new_name="龙雪英",
        new_id_number=number,
        new_birth_date=birth,
        new_ethnic_group=group,
    )
    services.change_request_decide(
        change_request=req, actor=staff_user, decision="approve", reason="证件核实无误。"
    )
    person.refresh_from_db()
    assert person.name == "龙雪英" and person.name_pinyin == name_pinyin("龙雪英")
    assert "英" in person.name_terms
    assert person.id_number == number
    assert person.id_masked == mask_id_number(number)
    assert person.id_hash == services.identity_values(number)["id_hash"]
    assert person.birth_date == birth and person.ethnic_group == group
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == staff_user
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).first()
    assert entry.actor == staff_user
    assert number not in str(entry.changes)
    notes = Notification.objects.filter(recipient=member_user)
    assert notes.count() == 1 and "证件核实无误" in notes.get().body
    assert notes.get().url == reverse("me:changes")


def test_reject_keeps_record_and_notifies(member_user, staff_user):
    person = person_of(member_user)
    req = file_request(member_user, new_name="龙新名")
    services.change_request_decide(
        change_request=req, actor=staff_user, decision="reject", reason="材料不全。"
    )
    person.refresh_from_db()
    assert person.name == "龙雪梅"
    assert IdentityChangeRequest.objects.get().status == "rejected"
    assert Notification.objects.filter(recipient=member_user).count() == 1
    # decided once: a second decision is refused and nothing more is sent
    with pytest.raises(ValidationError) as exc:
        services.change_request_decide(
            change_request=req, actor=staff_user, decision="approve", reason="再批"
        )
    assert exc.value.code == "conflict"
    assert Notification.objects.filter(recipient=member_user).count() == 1


def test_approve_refused_when_id_taken_meanwhile(member_user, staff_user):
    person = person_of(member_user)
    number = new_id(person)
    req = file_request(member_user, new_id_number=number)
    PersonFactory(name="后来者", **{"id_number": number, "birth_date": person.birth_date})
    with pytest.raises(ValidationError) as exc:
        services.change_request_decide(
            change_request=req, actor=staff_user, decision="approve", reason="ok"
        )
    assert exc.value.code == "cannot_apply"
    person.refresh_from_db()
    assert person.id_number != number
    assert IdentityChangeRequest.objects.get().status == "pending"


def test_only_staff_decide_and_reason_required(member_user, sec_writers, staff_user):
    req = file_request(member_user, new_name="龙新名")
    for actor in (member_user, sec_writers):
        with pytest.raises(PermissionDenied):
            services.change_request_decide(
                change_request=req, actor=actor, decision="approve", reason="x"
            )
    with pytest.raises(ValidationError) as exc:
        services.change_request_decide(
            change_request=req, actor=staff_user, decision="approve", reason=""
        )
    assert "reason" in exc.value.error_dict


# --------------------------------------------------------------------------- #
# pages and roles
# --------------------------------------------------------------------------- #
def _expect(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want, response.status_code


MY_PAGES = {"me:changes": {}, "me:change_new": {}}
MY_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "sec_writers": 404,
    "sec_photo": 404,
    "staff": 404,
}


@pytest.mark.parametrize("name", MY_PAGES)
@pytest.mark.parametrize("role", MY_MATRIX)
def test_own_pages_role_matrix(name, role, role_users, client_for):
    # Secretaries and staff in the fixtures have no member record: "no record" page (404).
    _expect(client_for(role_users[role]).get(reverse(name)), MY_MATRIX[role])


STAFF_MATRIX = {
    "anonymous": "login",
    "member": 403,
    "sec_writers": 403,
    "sec_photo": 403,
    "staff": 200,
}


@pytest.mark.parametrize("role", STAFF_MATRIX)
def test_staff_pages_role_matrix(role, role_users, client_for, member_user):
    req = file_request(member_user, new_name="龙新名")
    client = client_for(role_users[role])
    _expect(client.get(reverse("members:change_list")), STAFF_MATRIX[role])
    _expect(client.get(reverse("members:change_detail", args=[req.pk])), STAFF_MATRIX[role])
    response = client.post(
        reverse("members:change_detail", args=[req.pk]),
        {"decision": "approve", "reason": "x"},
    )
    if role != "staff":
        _expect(response, STAFF_MATRIX[role])
        assert IdentityChangeRequest.objects.get().status == "pending"


EVIDENCE_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "other_member": 404,
    "sec_writers": 404,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", EVIDENCE_MATRIX)
def test_evidence_role_matrix(role, role_users, client_for, member_user):
    users = {**role_users, "other_member": other_member()}
    upload = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    client_for(member_user).post(
        reverse("me:change_new"), {"new_name": "龙新名", "reason": "改名", "evidence": upload}
    )
    req = IdentityChangeRequest.objects.get()
    assert req.evidence.name.endswith(".pdf") and "证明" not in req.evidence.name
    response = client_for(users[role]).get(reverse("members:change_evidence", args=[req.pk]))
    _expect(response, EVIDENCE_MATRIX[role])
    if EVIDENCE_MATRIX[role] == 200:
        assert b"".join(response.streaming_content) == PDF


def test_member_files_request_through_the_page(member_user, client_for):
    client = client_for(member_user)
    profile = client.get(reverse("me:profile")).content.decode()
    assert reverse("me:change_new") in profile
    centre = client.get(reverse("portal:member_centre")).content.decode()
    assert reverse("me:changes") in centre
    response = client.post(reverse("me:change_new"), {"new_name": "龙雪英", "reason": "改名"})
    assert response.status_code == 302 and response["Location"] == reverse("me:changes")
    page = client.get(reverse("me:changes")).content.decode()
    assert "龙雪英" in page and 'data-testid="change-status"' in page
    assert 'data-testid="new-change"' not in page  # a request is pending
    again = client.get(reverse("me:change_new")).content.decode()
    assert 'data-testid="pending-exists"' in again
    response = client.post(reverse("me:change_new"), {"new_name": "龙另名", "reason": "再改"})
    assert response.status_code == 200
    assert IdentityChangeRequest.objects.count() == 1


def test_form_shows_id_errors(member_user, client_for):
    response = client_for(member_user).post(
        reverse("me:change_new"), {"new_id_number": "123", "reason": "改号"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_id_number"]
    assert not IdentityChangeRequest.objects.exists()


def test_bad_evidence_file_refused(member_user, client_for):
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(member_user).post(
        reverse("me:change_new"), {"new_name": "龙新名", "reason": "改名", "evidence": fake}
    )
    assert response.status_code == 200 and response.context["form"].errors["evidence"]
    assert not IdentityChangeRequest.objects.exists()


def test_staff_reviews_and_member_sees_outcome(member_user, staff_user, client_for):
    req = file_request(member_user, new_name="龙雪英")
    staff = client_for(staff_user)
    dashboard = staff.get(reverse("portal:staff_dashboard")).content.decode()
    assert 'data-testid="count-change-requests">1<' in dashboard
    detail = staff.get(reverse("members:change_detail", args=[req.pk])).content.decode()
    assert "龙雪英" in detail and "龙雪梅" in detail
    response = staff.post(reverse("members:change_detail", args=[req.pk]), {"decision": "approve"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = staff.post(
        reverse("members:change_detail", args=[req.pk]),
        {"decision": "approve", "reason": "核实无误"},
    )
    assert response.status_code == 302
    assert person_of(member_user).name == "龙雪英"
    page = client_for(member_user).get(reverse("me:changes")).content.decode()
    assert "核实无误" in page


def test_change_list_newest_first_constant_queries(
    staff_user, client_for, django_assert_max_num_queries
):
    def make(n, start):
        for i in range(start, start + n):
            user = UserFactory(username=f"t_cr_{i}")
            person = PersonFactory(name=f"罗测{i}", user=user)
            services.change_request_file(
                person=person, actor=user, reason="改名", new_name=f"罗新{i}"
            )

    client = client_for(staff_user)
    make(3, 0)
    client.get(reverse("members:change_list"))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("members:change_list"))
    make(30, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("members:change_list"))
    rows = list(response.context["page"])
    assert len(rows) == 25
    assert rows[0].new_name == "罗新32"
    assert response.context["page"].paginator.count == 33
