"""Pages of the online application, referees, review queue and public notice: the role
matrix, the forms' error messages, private files and query bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from members import services
from members.models import (
    Application,
    ApplicationObjection,
    EducationLevel,
    EthnicGroup,
    PoliticalStatus,
    PrivacyConsent,
)
from tests.members.apply_support import (  # noqa: F401 - fixtures
    BIRTH,
    PDF_BYTES,
    applicant_fixture,
    id_for,
    jpeg_bytes,
    make_applicant,
    make_draft,
    private_media_fixture,
    referees_fixture,
    submitted,
)

pytestmark = pytest.mark.django_db
S = Application.Status
LOGIN = "/accounts/login/"


@pytest.fixture
def roles_with_applicant(role_users, applicant):
    return {**role_users, "applicant": applicant}


@pytest.fixture
def in_review(applicant, writers, referees):
    """An application waiting for the writers' association review, with a photo and a PDF."""
    return submitted(applicant, writers, referees)


def check(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    elif want == "redirect":
        assert response.status_code == 302
    else:
        assert response.status_code == want, response.status_code


ALL_200 = {
    r: 200 for r in ("anonymous", "applicant", "member", "sec_writers", "sec_photo", "staff")
}
LOGGED_IN_200 = {**ALL_200, "anonymous": "login"}
SCOPED = {
    "anonymous": "login",
    "applicant": 200,
    "member": 404,
    "sec_writers": 200,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize(
    "page,expected",
    [
        ("register", {**{r: "redirect" for r in ALL_200}, "anonymous": 200}),
        ("mine", LOGGED_IN_200),
        ("new", LOGGED_IN_200),
        ("notice", ALL_200),
        (
            "queue",
            {
                "anonymous": "login",
                "applicant": 403,
                "member": 403,
                "sec_writers": 200,
                "sec_photo": 200,
                "staff": 200,
            },
        ),
        ("detail", SCOPED),
        ("photo", SCOPED),
        ("work", SCOPED),
        (
            "edit",
            {
                "anonymous": "login",
                "applicant": "redirect",  # submitted: no longer editable, back to details
                "member": 404,
                "sec_writers": 404,
                "sec_photo": 404,
                "staff": 404,
            },
        ),
    ],
)
def test_role_matrix(page, expected, roles_with_applicant, client_for, in_review):
    work = in_review.works.first()
    urls = {
        "register": reverse("members:apply_register"),
        "mine": reverse("members:apply_mine"),
        "new": reverse("members:apply_new"),
        "notice": reverse("members:notice_list"),
        "queue": reverse("members:review_queue"),
        "detail": reverse("members:apply_detail", args=[in_review.pk]),
        "photo": reverse("members:apply_photo", args=[in_review.pk]),
        "work": reverse("members:apply_work", args=[in_review.pk, work.pk]),
        "edit": reverse("members:apply_edit", args=[in_review.pk]),
    }
    for role, want in expected.items():
        response = client_for(roles_with_applicant[role]).get(urls[page])
        try:
            check(response, want)
        except AssertionError as exc:
            raise AssertionError(f"{page} as {role}: {exc}") from None


@pytest.mark.parametrize("role", ["anonymous", "member", "sec_writers", "sec_photo", "staff"])
def test_drafts_are_private_to_the_applicant(
    role, role_users, client_for, applicant, writers, referees
):
    draft = make_draft(applicant, writers, referees)
    for name in ("members:apply_detail", "members:apply_edit", "members:apply_photo"):
        response = client_for(role_users[role]).get(reverse(name, args=[draft.pk]))
        check(response, "login" if role == "anonymous" else 404)
    assert (
        client_for(applicant).get(reverse("members:apply_edit", args=[draft.pk])).status_code == 200
    )


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", "login"),
        ("applicant", 403),  # sees the application, but nobody reviews their own
        ("member", 404),
        ("sec_writers", 302),
        ("sec_photo", 404),
        ("staff", 403),  # staff see it but the first stage is the association's
    ],
)
def test_decide_matrix(role, expected, roles_with_applicant, client_for, in_review):
    response = client_for(roles_with_applicant[role]).post(
        reverse("members:apply_decide", args=[in_review.pk]),
        {"decision": "approve", "reason": "同意", "expected_status": S.ASSOCIATION_REVIEW},
    )
    check(response, expected)
    in_review.refresh_from_db()
    assert (in_review.status == S.FEDERATION_REVIEW) == (role == "sec_writers")


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", "login"),
        ("applicant", 404),
        ("member", 404),
        ("sec_writers", 404),
        ("sec_photo", 404),
        ("staff", 404),
        ("other_referee", 404),
        ("referee", 200),
    ],
)
def test_referee_page_only_for_that_referee(
    role, expected, roles_with_applicant, client_for, applicant, writers, referees
):
    app = services.application_submit(
        application=make_draft(applicant, writers, referees), actor=applicant
    )
    request = app.referees.get(slot=1)
    users = {
        **roles_with_applicant,
        "referee": referees[0].person.user,
        "other_referee": referees[1].person.user,
    }
    url = reverse("members:referee_respond", args=[request.pk])
    check(client_for(users[role]).get(url), expected)
    response = client_for(users[role]).post(url, {"decision": "confirm"})
    check(response, "redirect" if role == "referee" else expected)
    request.refresh_from_db()
    assert (request.status == "confirmed") == (role == "referee")


# --------------------------------------------------------------------------- registration
def register_data(**overrides):
    data = {
        "name": "张明",
        "phone": "13912345678",
        "email": "",
        "password1": "Green-river-2026",
        "password2": "Green-river-2026",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_register_then_login_with_mobile_number(client):
    response = client.post(reverse("members:apply_register"), register_data())
    assert response.status_code == 302 and response["Location"] == reverse("members:apply_new")
    user = User.objects.get(phone="13912345678")
    assert user.username == "13912345678" and user.full_name == "张明"
    assert PrivacyConsent.objects.get(user=user).version == "2026-01"
    client.post("/accounts/logout/")
    response = client.post(LOGIN, {"username": "13912345678", "password": "Green-river-2026"})
    assert response.status_code == 302
    assert client.get(reverse("members:apply_mine")).status_code == 200


def test_register_page_shows_consent_text_and_version(client):
    body = client.get(reverse("members:apply_register")).content.decode()
    assert "2026-01" in body and 'name="consent"' in body


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"consent": ""}, "consent"),
        ({"phone": "12345"}, "phone"),
        ({"password2": "Other-pass-2026"}, "password2"),
        ({"password1": "1234567890", "password2": "1234567890"}, "password1"),
    ],
)
def test_register_errors_store_nothing(client, overrides, field):
    data = register_data(**overrides)
    if not data["consent"]:
        del data["consent"]
    response = client.post(reverse("members:apply_register"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(full_name="张明").exists()
    assert not PrivacyConsent.objects.exists()


def test_register_taken_number(client, applicant):
    response = client.post(reverse("members:apply_register"), register_data(phone=applicant.phone))
    assert "phone" in response.context["form"].errors


# --------------------------------------------------------------------------- the form
def form_data(writers, referees, **overrides):
    data = {
        "association": writers.pk,
        "name": "韦小明",
        "gender": "M",
        "ethnic_group": EthnicGroup.objects.get(code="09").pk,
        "birth_date": BIRTH.isoformat(),
        "id_number": id_for(1),
        "phone": "13700000001",
        "email": "applicant@example.cn",
        "political_status": PoliticalStatus.objects.get(code="13").pk,
        "education": EducationLevel.objects.get(code="21").pk,
        "native_place": "贵州安龙",
        "work_unit": "安龙县第一中学",
        "job_title": "教师",
        "professional_title": "",
        "art_categories": [writers.art_category_id],
        "bio": "写散文。",
        "referee1_name": referees[0].person.name,
        "referee1_number": referees[0].number,
        "referee2_name": referees[1].person.name,
        "referee2_number": referees[1].number,
        "work_links": "",
        "field_life": "笃山镇采风。",
        "statement": "申请入会。",
        "work_title_1": "散文集",
        "work_file_1": SimpleUploadedFile("我的作品 身份证.pdf", PDF_BYTES, "application/pdf"),
        "photo": SimpleUploadedFile("me.jpg", jpeg_bytes(), "image/jpeg"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_new_form_lists_han_buyei_miao_first(client_for, applicant):
    form = client_for(applicant).get(reverse("members:apply_new")).context["form"]
    names = [e.name for e in form.fields["ethnic_group"].queryset[:3]]
    assert names == ["汉族", "布依族", "苗族"]


def test_save_draft_then_submit(client_for, applicant, writers, referees):
    c = client_for(applicant)
    response = c.post(reverse("members:apply_new"), {**form_data(writers, referees), "save": "1"})
    app = Application.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == reverse(
        "members:apply_edit", args=[app.pk]
    )
    assert app.status == S.DRAFT and app.works.count() == 1 and app.photo
    stored = app.works.get().file.name
    assert "身份证" not in stored and stored.endswith(".pdf")
    response = c.post(
        reverse("members:apply_edit", args=[app.pk]),
        {**form_data(writers, referees, work_file_1=None, photo=None), "submit": "1"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.REFEREES and app.works.count() == 1


def test_incomplete_draft_is_saved(client_for, applicant, writers):
    response = client_for(applicant).post(
        reverse("members:apply_new"), {"association": writers.pk, "name": "韦小明", "save": "1"}
    )
    assert response.status_code == 302
    assert Application.objects.get(applicant=applicant).status == S.DRAFT


def test_submit_incomplete_saves_draft_and_marks_fields(client_for, applicant, writers):
    response = client_for(applicant).post(
        reverse("members:apply_new"), {"association": writers.pk, "name": "韦小明", "submit": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in ("id_number", "statement", "photo", "referee1_number", "work_file_1"):
        assert field in errors, field
    assert Application.objects.get(applicant=applicant).status == S.DRAFT


@pytest.mark.parametrize(
    "overrides,field,code",
    [
        ({"id_number": "52230119900517123"}, "id_number", "length"),
        ({"id_number": "52230119901317123X"}, "id_number", "date"),
        ({"id_number": "522301199005171230"}, "id_number", "checksum"),
        ({"birth_date": "1991-05-17"}, "birth_date", "birth_date_mismatch"),
        ({"gender": "F"}, "gender", "gender_mismatch"),
        ({"phone": "1234"}, "phone", "mobile"),
    ],
)
def test_form_field_errors_store_nothing(
    client_for, applicant, writers, referees, overrides, field, code
):
    response = client_for(applicant).post(
        reverse("members:apply_new"), {**form_data(writers, referees, **overrides), "save": "1"}
    )
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data()[field]]
    assert code in codes
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "field,upload,code",
    [
        ("photo", SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg"), "not_image"),
        (
            "work_file_1",
            SimpleUploadedFile("x.pdf", b"MZ\x90\x00 fake exe", "application/pdf"),
            "bad_type",
        ),
        (
            "work_file_1",
            SimpleUploadedFile("x.pdf", b"%PDF-1.4 truncated", "application/pdf"),
            "bad_type",
        ),
    ],
)
def test_bad_uploads_are_refused(client_for, applicant, writers, referees, field, upload, code):
    response = client_for(applicant).post(
        reverse("members:apply_new"),
        {**form_data(writers, referees, **{field: upload}), "save": "1"},
    )
    assert response.status_code == 200
    assert code in [e.code for e in response.context["form"].errors.as_data()[field]]
    assert not Application.objects.exists()


def test_oversized_photo_is_refused(client_for, applicant, writers, referees, settings):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), "image/jpeg")
    response = client_for(applicant).post(
        reverse("members:apply_new"), {**form_data(writers, referees, photo=big), "save": "1"}
    )
    assert "too_large" in [e.code for e in response.context["form"].errors.as_data()["photo"]]


def test_duplicate_id_message_on_the_form(client_for, applicant, writers, referees):
    from tests.factories import MembershipFactory, PersonFactory

    MembershipFactory(person=PersonFactory(name="别人", id_number=id_for(1)), association=writers)
    response = client_for(applicant).post(
        reverse("members:apply_new"), {**form_data(writers, referees), "submit": "1"}
    )
    errors = response.context["form"].errors.as_data()["id_number"]
    assert [e.code for e in errors] == ["duplicate"]
    body = response.content.decode()
    assert "别人" not in body


def test_referee_not_member_message_on_the_form(client_for, applicant, writers, referees):
    response = client_for(applicant).post(
        reverse("members:apply_new"),
        {**form_data(writers, referees, referee2_number="AL-ZJ-9999"), "submit": "1"},
    )
    errors = response.context["form"].errors.as_data()["referee2_number"]
    assert [e.code for e in errors] == ["referee_not_member"]


def test_applicant_without_consent_must_tick_it(client_for, writers, referees):
    user = make_applicant(username="t_nc", phone="13700000077", consent=False)
    c = client_for(user)
    assert "consent" in c.get(reverse("members:apply_new")).context["form"].fields
    response = c.post(reverse("members:apply_new"), {**form_data(writers, referees), "save": "1"})
    assert "consent" in response.context["form"].errors
    assert not Application.objects.exists()
    response = c.post(
        reverse("members:apply_new"), {**form_data(writers, referees), "consent": "on", "save": "1"}
    )
    assert response.status_code == 302
    assert PrivacyConsent.objects.filter(user=user).exists()


# --------------------------------------------------------------------------- private files
def test_private_files_headers(client_for, in_review, sec_writers):
    c = client_for(sec_writers)
    work = in_review.works.first()
    response = c.get(reverse("members:apply_work", args=[in_review.pk, work.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    response = c.get(reverse("members:apply_photo", args=[in_review.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_url_does_not_serve_private_files(client, in_review):
    assert client.get("/media/" + in_review.photo.name).status_code == 404


# --------------------------------------------------------------------------- review pages
def test_secretary_reviews_in_the_portal_and_applicant_sees_timeline(
    client_for, in_review, sec_writers, staff_user, applicant
):
    c = client_for(sec_writers)
    body = c.get(reverse("members:apply_detail", args=[in_review.pk])).content.decode()
    assert 'name="reason"' in body and in_review.id_masked in body and id_for(1) not in body
    c.post(
        reverse("members:apply_decide", args=[in_review.pk]),
        {"decision": "approve", "reason": "作品扎实", "expected_status": S.ASSOCIATION_REVIEW},
    )
    c = client_for(staff_user)
    c.post(
        reverse("members:apply_decide", args=[in_review.pk]),
        {"decision": "approve", "reason": "同意入会", "expected_status": S.FEDERATION_REVIEW},
    )
    in_review.refresh_from_db()
    assert in_review.status == S.APPROVED
    c = client_for(applicant)
    centre = c.get(reverse("portal:member_centre")).content.decode()
    assert in_review.membership.number in centre  # the notice and the membership
    body = c.get(reverse("members:apply_detail", args=[in_review.pk])).content.decode()
    assert "作品扎实" in body and "同意入会" in body and sec_writers.full_name in body
    # read now: the member centre no longer lists the messages
    centre = c.get(reverse("portal:member_centre")).content.decode()
    assert 'data-testid="application-notices"' not in centre


def test_decision_without_reason_is_refused(client_for, in_review, sec_writers):
    response = client_for(sec_writers).post(
        reverse("members:apply_decide", args=[in_review.pk]),
        {"decision": "reject", "reason": "", "expected_status": S.ASSOCIATION_REVIEW},
        follow=True,
    )
    in_review.refresh_from_db()
    assert in_review.status == S.ASSOCIATION_REVIEW
    assert any("reason" in str(m).lower() or "理由" in str(m) for m in response.context["messages"])


def test_stale_decision_gets_who_did_what_message(client_for, in_review, sec_writers):
    services.application_decide(
        application=in_review,
        actor=sec_writers,
        decision="return",
        reason="补充材料",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    response = client_for(sec_writers).post(
        reverse("members:apply_decide", args=[in_review.pk]),
        {"decision": "approve", "reason": "同意", "expected_status": S.ASSOCIATION_REVIEW},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any(sec_writers.full_name in t for t in texts), texts
    assert in_review.steps.count() == 3


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_review_queue_scoped_and_bounded(
    client_for,
    writers,
    photographers,
    referees,
    sec_writers,
    sec_photo,
    staff_user,
    django_assert_max_num_queries,
):
    from tests.members.apply_support import make_referee

    sy_refs = [
        make_referee(photographers, "岑光明", "AL-SY-2020-0001", "q_r1"),
        make_referee(photographers, "王秀英", "AL-SY-2020-0002", "q_r2"),
    ]

    def add(start, stop):
        for i in range(start, stop):
            user = make_applicant(username=f"q{i}", phone=f"1360000{i:04d}")
            if i % 2:
                submitted(user, writers, referees, seq=2 * i + 1, name=f"作协申请人{i}")
            else:
                submitted(user, photographers, sy_refs, seq=2 * i + 1, name=f"摄协申请人{i}")

    add(0, 4)
    url = reverse("members:review_queue")
    pages = [
        (sec_writers, url),
        (staff_user, url),
        (staff_user, reverse("portal:staff_dashboard")),
        (sec_photo, reverse("portal:secretary_dashboard", args=["SY"])),
    ]
    [_queries(client_for(user), u) for user, u in pages]  # warm the per-process caches
    before = [_queries(client_for(user), u) for user, u in pages]
    add(4, 24)
    after = [_queries(client_for(user), u) for user, u in pages]
    assert after == before  # no query per row
    c = client_for(sec_writers)
    with django_assert_max_num_queries(12):
        body = c.get(url).content.decode()
    assert body.count("作协申请人") == 12 and "摄协申请人" not in body
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        body = c.get(url).content.decode()
    assert body.count("申请人") >= 24
    c = client_for(sec_photo)
    body = c.get(reverse("portal:secretary_dashboard", args=["SY"])).content.decode()
    assert 'data-testid="count-association-review">12<' in body


def test_member_centre_lists_only_own_referee_requests(
    client_for, applicant, writers, referees, member_user
):
    services.application_submit(
        application=make_draft(applicant, writers, referees), actor=applicant
    )
    body = client_for(referees[0].person.user).get(reverse("portal:member_centre")).content.decode()
    assert 'data-testid="referee-requests"' in body and "韦小明" in body
    body = client_for(member_user).get(reverse("portal:member_centre")).content.decode()
    assert 'data-testid="referee-requests"' not in body


def test_html_in_fields_is_shown_as_text(client_for, applicant, writers, referees, sec_writers):
    app = submitted(applicant, writers, referees, statement="<script>alert(1)</script>")
    body = (
        client_for(sec_writers).get(reverse("members:apply_detail", args=[app.pk])).content.decode()
    )
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --------------------------------------------------------------------------- public notice
@pytest.fixture
def on_notice(in_review, writers, sec_writers, staff_user):
    writers.public_notice_enabled = True
    writers.public_notice_days = 5
    writers.save()
    for actor, status in ((sec_writers, S.ASSOCIATION_REVIEW), (staff_user, S.FEDERATION_REVIEW)):
        services.application_decide(
            application=in_review,
            actor=actor,
            decision="approve",
            reason="同意",
            expected_status=status,
        )
    in_review.refresh_from_db()
    return in_review


def test_public_notice_page_masks_names(client, on_notice):
    body = client.get(reverse("members:notice_list")).content.decode()
    assert "韦*明" in body and "韦小明" not in body and "安龙县作家协会" in body


@pytest.mark.parametrize("role", ["anonymous", "member", "sec_writers", "sec_photo", "staff"])
def test_objection_page_open_to_all(role, role_users, client_for, on_notice):
    url = reverse("members:objection_new", args=[on_notice.pk])
    assert client_for(role_users[role]).get(url).status_code == 200


def test_objection_page_404_for_applications_never_on_notice(client, in_review):
    assert client.get(reverse("members:objection_new", args=[in_review.pk])).status_code == 404


def test_anonymous_and_late_objections_refused(client, on_notice):
    url = reverse("members:objection_new", args=[on_notice.pk])
    response = client.post(url, {"name": "", "contact": "", "content": "有问题"})
    assert {"name", "contact"} <= set(response.context["form"].errors)
    evidence = SimpleUploadedFile("证据.pdf", PDF_BYTES, "application/pdf")
    response = client.post(
        url, {"name": "李四", "contact": "13900001111", "content": "抄袭", "evidence": evidence}
    )
    assert response.status_code == 302
    objection = ApplicationObjection.objects.get()
    assert objection.evidence.name.endswith(".pdf") and "证据" not in objection.evidence.name
    Application.objects.filter(pk=on_notice.pk).update(
        notice_ends_on=timezone.localdate() - timedelta(days=1)
    )
    response = client.post(url, {"name": "王五", "contact": "139", "content": "晚了"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ApplicationObjection.objects.count() == 1


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", "login"),
        ("applicant", 404),
        ("sec_writers", 404),
        ("sec_photo", 404),
        ("member", 404),
        ("staff", 200),
    ],
)
def test_objection_evidence_and_outcome_staff_only(
    role, expected, roles_with_applicant, client_for, on_notice
):
    objection = services.objection_file(
        application=on_notice,
        name="李四",
        contact="139",
        content="异议",
        evidence=__import__("tests.members.apply_support", fromlist=["pdf_file"]).pdf_file(),
    )
    c = client_for(roles_with_applicant[role])
    check(c.get(reverse("members:objection_evidence", args=[on_notice.pk, objection.pk])), expected)
    response = c.post(
        reverse("members:objection_resolve", args=[on_notice.pk, objection.pk]),
        {"outcome": "upheld", "reason": "属实"},
    )
    check(response, "redirect" if role == "staff" else expected)
    on_notice.refresh_from_db()
    assert (on_notice.status == S.REJECTED) == (role == "staff")


def test_member_applying_elsewhere_gets_a_prefilled_form(client_for, member_user):
    from members.selectors import person_for_user

    person = person_for_user(member_user)
    form = client_for(member_user).get(reverse("members:apply_new")).context["form"]
    assert form.initial["name"] == person.name
    # The saved ID number is used, but only its masked form reaches the page.
    assert form.stored_id_number == person.id_number and form.initial["id_number"] == ""
    assert person.id_masked in form.fields["id_number"].help_text
    assert form.initial["birth_date"] == person.birth_date


def test_new_form_preselects_the_association_from_its_page(client_for, applicant, writers):
    url = reverse("members:apply_new") + "?association=ZJ"
    form = client_for(applicant).get(url).context["form"]
    assert form.initial["association"] == writers


def test_objection_page_after_the_period_says_so(client, on_notice):
    Application.objects.filter(pk=on_notice.pk).update(
        notice_ends_on=timezone.localdate() - timedelta(days=1)
    )
    response = client.get(reverse("members:objection_new", args=[on_notice.pk]))
    assert response.status_code == 200 and response.context["running"] is False


def test_returned_application_shows_the_reason_and_can_be_resubmitted(
    client_for, in_review, sec_writers, applicant, writers, referees
):
    services.application_decide(
        application=in_review,
        actor=sec_writers,
        decision="return",
        reason="请补充深入生活记录",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    c = client_for(applicant)
    url = reverse("members:apply_edit", args=[in_review.pk])
    response = c.get(url)
    assert response.status_code == 200 and "请补充深入生活记录" in response.content.decode()
    assert response.context["form"].fields["association"].disabled
    data = form_data(
        writers, referees, work_file_1=None, photo=None, field_life="补充：2025年驻村。"
    )
    response = c.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == S.ASSOCIATION_REVIEW and in_review.field_life == "补充：2025年驻村。"


def test_referee_sees_name_and_association_only(client_for, applicant, writers, referees):
    """The consent text promises referees see the applicant's name and association only."""
    app = submitted(applicant, writers, referees, work_unit="某保密单位", statement="个人陈述全文")
    request = app.referees.get(membership=referees[0])
    body = (
        client_for(referees[0].person.user)
        .get(reverse("members:referee_respond", args=[request.pk]))
        .content.decode()
    )
    assert "韦小明" in body and writers.name in body
    assert "某保密单位" not in body and "个人陈述全文" not in body


def test_saved_id_number_is_never_sent_back_in_full(client_for, applicant, writers, referees):
    """PIPL: the form shows the saved number masked and keeps it when left empty."""
    app = make_draft(applicant, writers, referees, seq=1)
    url = reverse("members:apply_edit", args=[app.pk])
    body = client_for(applicant).get(url).content.decode()
    assert app.id_number not in body
    assert app.id_masked in body
