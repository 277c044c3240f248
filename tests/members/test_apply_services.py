"""Services of the online application and two-stage review (MEM-01, MEM-02, MEM-04)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import roles
from members import services
from members.models import (
    Application,
    ApplicationNotice,
    ApplicationObjection,
    ApplicationStep,
    MemberNumberCounter,
    Membership,
    Person,
    PrivacyConsent,
)
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.members.apply_support import (  # noqa: F401 - fixtures
    applicant_fixture,
    id_for,
    make_applicant,
    make_draft,
    pdf_file,
    private_media_fixture,
    profile_data,
    referees_fixture,
    submitted,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def error_codes(exc: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


# --------------------------------------------------------------------------- registration
def test_register_stores_user_and_consent_version():
    user = services.applicant_register(
        phone="13811112222", name="张 明", password="Lotus-pond-2026", consent_given=True
    )
    assert user.username == "13811112222" and user.phone == "13811112222"
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.version == services.privacy_consent_version() == "2026-01"
    assert consent.given_at is not None


def test_register_without_consent_stores_nothing(django_user_model):
    with pytest.raises(ValidationError) as exc:
        services.applicant_register(
            phone="13811112223", name="张明", password="Lotus-pond-2026", consent_given=False
        )
    assert "consent" in exc.value.error_dict
    assert not django_user_model.objects.filter(phone="13811112223").exists()
    assert not PrivacyConsent.objects.exists()


def test_consent_version_comes_from_settings(settings):
    settings.PRIVACY_CONSENT_VERSION = "2027-03"
    user = services.applicant_register(
        phone="13811112224", name="张明", password="Lotus-pond-2026", consent_given=True
    )
    assert user.privacy_consents.get().version == "2027-03"


def test_draft_without_consent_is_refused(writers, referees):
    user = make_applicant(username="t_noconsent", phone="13700000009", consent=False)
    with pytest.raises(ValidationError) as exc:
        make_draft(user, writers, referees)
    assert "consent" in exc.value.error_dict
    assert not Application.objects.exists()


# --------------------------------------------------------------------------- drafts
def test_draft_keeps_incomplete_data(applicant, writers):
    app = services.application_save_draft(
        applicant=applicant, actor=applicant, data={"association": writers, "name": "韦小明"}
    )
    assert app.status == S.DRAFT and app.name == "韦小明" and app.id_hash == ""
    assert not app.steps.exists()


def test_draft_stores_id_encrypted_with_index_and_mask(applicant, writers, referees):
    app = make_draft(applicant, writers, referees)
    assert app.id_masked == id_for(1)[:4] + "*" * 10 + id_for(1)[-4:]
    assert len(app.id_hash) == 64
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_application WHERE id = %s", [app.pk])
        stored = cursor.fetchone()[0]
    assert id_for(1) not in stored
    assert Application.objects.get(pk=app.pk).id_number == id_for(1)


def test_submit_checks_completeness(applicant, writers):
    app = services.application_save_draft(
        applicant=applicant, actor=applicant, data={"association": writers, "name": "韦小明"}
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    codes = error_codes(exc.value)
    for field in ("id_number", "gender", "birth_date", "statement", "photo", "referee1_name"):
        assert codes[field] == ["required"], field
    app.refresh_from_db()
    assert app.status == S.DRAFT


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "bad,code",
    [
        ("52230119900517123", "length"),
        ("52230119901317123X", "date"),
        ("522301199005171230", "checksum"),
    ],
)
def test_bad_id_numbers_are_refused_on_submit(applicant, writers, referees, bad, code):
    app = make_draft(applicant, writers, referees)
    Application.objects.filter(pk=app.pk).update(id_number=bad)
    app.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value)["id_number"] == [code]


def test_birth_date_and_gender_must_match_id(applicant, writers, referees):
    app = make_draft(applicant, writers, referees, birth_date=date(1991, 5, 17))
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value)["birth_date"] == ["birth_date_mismatch"]
    app = make_draft(applicant, writers, referees, application=None, seq=3, gender="F")
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value)["gender"] == ["gender_mismatch"]


def test_referee_must_be_active_member_of_that_association(
    applicant, writers, photographers, referees
):
    other = MembershipFactory(
        person=PersonFactory(name="摄影甲"), association=photographers, number="AL-SY-X-1"
    )
    app = make_draft(
        applicant,
        writers,
        referees,
        referee2_name="摄影甲",
        referee2_number=other.number,
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value) == {"referee2_number": ["referee_not_member"]}
    # right number, wrong name
    app = make_draft(
        applicant, writers, referees, seq=3, referee1_name="别人", referee2_name="罗春燕"
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value) == {"referee1_number": ["referee_not_member"]}
    # a suspended member cannot be a referee
    Membership.objects.filter(pk=referees[0].pk).update(status=Membership.Status.SUSPENDED)
    app = make_draft(applicant, writers, referees, seq=5)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value) == {"referee1_number": ["referee_not_member"]}


def test_two_referees_must_differ(applicant, writers, referees):
    app = make_draft(
        applicant,
        writers,
        referees,
        referee2_name=referees[0].person.name,
        referee2_number=referees[0].number,
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value) == {"referee2_number": ["same_referee"]}


def test_duplicate_active_member_is_refused_without_revealing_whose(applicant, writers, referees):
    person = PersonFactory(name="已入会者", id_number=id_for(1))
    MembershipFactory(person=person, association=writers)
    app = make_draft(applicant, writers, referees)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=applicant)
    assert error_codes(exc.value) == {"id_number": ["duplicate"]}
    message = exc.value.error_dict["id_number"][0].messages[0]
    assert "已入会者" not in message and "ZJ" not in message
    assert message == services.duplicate_application_message()


def test_duplicate_pending_application_is_refused(applicant, writers, referees):
    submitted(applicant, writers, referees)
    second_user = make_applicant(username="t_second", phone="13700000002")
    app = make_draft(second_user, writers, referees)  # same ID number
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=second_user)
    assert error_codes(exc.value) == {"id_number": ["duplicate"]}


def test_same_person_may_apply_to_another_association(applicant, writers, photographers):
    from tests.members.apply_support import make_referee

    zj = [
        make_referee(writers, "韦文华", "AL-ZJ-2020-0001", "r1"),
        make_referee(writers, "罗春燕", "AL-ZJ-2020-0002", "r2"),
    ]
    sy = [
        make_referee(photographers, "岑光明", "AL-SY-2020-0001", "r3"),
        make_referee(photographers, "王秀英", "AL-SY-2020-0002", "r4"),
    ]
    submitted(applicant, writers, zj)
    app = submitted(applicant, photographers, sy)
    assert app.status == S.ASSOCIATION_REVIEW


@pytest.mark.parametrize("years_ago,allowed", [(1, False), (4, True)])
def test_expelled_person_is_barred_for_the_configured_period(
    applicant, writers, referees, settings, years_ago, allowed
):
    settings.MEMBERSHIP_REAPPLY_BAR_YEARS = 3
    person = PersonFactory(name="韦小明", id_number=id_for(1))
    left = timezone.localdate() - timedelta(days=365 * years_ago)
    MembershipFactory(
        person=person,
        association=writers,
        status=Membership.Status.EXPELLED,
        joined_on=left - timedelta(days=400),
        left_on=left,
    )
    app = make_draft(applicant, writers, referees)
    if allowed:
        assert services.application_submit(application=app, actor=applicant).status == (S.REFEREES)
    else:
        with pytest.raises(ValidationError) as exc:
            services.application_submit(application=app, actor=applicant)
        assert error_codes(exc.value) == {"association": ["expelled_bar"]}


def test_bar_period_is_a_setting(applicant, writers, referees, settings):
    settings.MEMBERSHIP_REAPPLY_BAR_YEARS = 10
    person = PersonFactory(name="韦小明", id_number=id_for(1))
    left = timezone.localdate() - timedelta(days=365 * 5)
    MembershipFactory(
        person=person,
        association=writers,
        status=Membership.Status.EXPELLED,
        joined_on=left - timedelta(days=10),
        left_on=left,
    )
    app = make_draft(applicant, writers, referees)
    with pytest.raises(ValidationError):
        services.application_submit(application=app, actor=applicant)


# --------------------------------------------------------------------------- referees
def test_submit_asks_referees_and_notifies_them(
    applicant, writers, referees, django_capture_on_commit_callbacks
):
    app = make_draft(applicant, writers, referees)
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(application=app, actor=applicant)
    assert app.status == S.REFEREES
    assert sorted(app.referees.values_list("membership_id", flat=True)) == sorted(
        r.pk for r in referees
    )
    to = sorted(address for m in mail.outbox for address in m.to)
    assert "t_ref1@example.cn" in to and "t_ref2@example.cn" in to
    assert "applicant@example.cn" in to
    ref_mail = next(m for m in mail.outbox if m.to == ["t_ref1@example.cn"])
    assert f"/members/referee/{app.referees.get(slot=1).pk}/" in ref_mail.body


def test_forward_only_with_two_confirmations(applicant, writers, referees):
    app = services.application_submit(
        application=make_draft(applicant, writers, referees), actor=applicant
    )
    first = app.referees.get(slot=1)
    services.referee_respond(referee=first, actor=referees[0].person.user, confirm=True)
    app.refresh_from_db()
    assert app.status == S.REFEREES
    second = app.referees.get(slot=2)
    services.referee_respond(referee=second, actor=referees[1].person.user, confirm=True)
    app.refresh_from_db()
    assert app.status == S.ASSOCIATION_REVIEW


def test_referee_can_only_answer_own_request(applicant, writers, referees):
    from django.core.exceptions import PermissionDenied

    app = services.application_submit(
        application=make_draft(applicant, writers, referees), actor=applicant
    )
    with pytest.raises(PermissionDenied):
        services.referee_respond(
            referee=app.referees.get(slot=1), actor=referees[1].person.user, confirm=True
        )


def test_declining_referee_returns_application_and_resubmit_asks_again(
    applicant, writers, referees
):
    app = services.application_submit(
        application=make_draft(applicant, writers, referees), actor=applicant
    )
    with pytest.raises(ValidationError):  # a reason is needed to decline
        services.referee_respond(
            referee=app.referees.get(slot=1), actor=referees[0].person.user, confirm=False
        )
    services.referee_respond(
        referee=app.referees.get(slot=2), actor=referees[1].person.user, confirm=True
    )
    services.referee_respond(
        referee=app.referees.get(slot=1),
        actor=referees[0].person.user,
        confirm=False,
        comment="不了解申请人",
    )
    app.refresh_from_db()
    assert app.status == S.RETURNED
    assert "不了解申请人" in app.steps.last().reason
    from tests.members.apply_support import make_referee

    new_ref = make_referee(writers, "杨再兴", "AL-ZJ-2020-0003", "t_ref3")
    services.application_save_draft(
        applicant=applicant,
        actor=applicant,
        application=app,
        data={"referee1_name": "杨再兴", "referee1_number": new_ref.number},
    )
    app = services.application_submit(application=app, actor=applicant)
    assert app.status == S.REFEREES
    # the second referee's confirmation is kept, only the new one is asked
    assert app.referees.get(slot=2).status == "confirmed"
    assert app.referees.get(slot=1).membership_id == new_ref.pk
    services.referee_respond(
        referee=app.referees.get(slot=1), actor=new_ref.person.user, confirm=True
    )
    app.refresh_from_db()
    assert app.status == S.ASSOCIATION_REVIEW


# --------------------------------------------------------------------------- review path
def test_full_path_to_membership_with_number(applicant, writers, referees, sec_writers, staff_user):
    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="approve",
        reason="作品扎实",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    app.refresh_from_db()
    assert app.status == S.FEDERATION_REVIEW
    services.application_decide(
        application=app,
        actor=staff_user,
        decision="approve",
        reason="同意入会",
        expected_status=S.FEDERATION_REVIEW,
    )
    app.refresh_from_db()
    assert app.status == S.APPROVED and app.decided_at
    membership = app.membership
    year = timezone.localdate().year
    assert membership.number == f"AL-ZJ-{year}-0001"
    assert membership.status == Membership.Status.ACTIVE
    assert membership.joined_on == timezone.localdate()
    person = membership.person
    assert person.user_id == applicant.pk and person.name == "韦小明"
    assert person.id_number == id_for(1) and person.photo
    assert list(person.art_categories.values_list("code", flat=True)) == ["literature"]
    applicant.refresh_from_db()
    assert applicant.groups.filter(name=roles.MEMBER).exists()
    steps = list(app.steps.values_list("from_status", "to_status", "actor_id", "reason"))
    assert steps == [
        ("draft", "referees", applicant.pk, ""),
        ("referees", "association_review", referees[1].person.user.pk, steps[1][3]),
        ("association_review", "federation_review", sec_writers.pk, "作品扎实"),
        ("federation_review", "approved", staff_user.pk, "同意入会"),
    ]
    notices = ApplicationNotice.objects.filter(application=app, user=applicant)
    assert notices.count() == 4
    assert any(membership.number in n.text for n in notices)
    # audit trail of the application and the membership names the actor
    entry = LogEntry.objects.get_for_object(membership).first()
    assert entry.actor_id == staff_user.pk


def test_secretary_of_other_association_and_staff_cannot_do_stage_one(
    applicant, writers, referees, sec_photo, staff_user
):
    from django.core.exceptions import PermissionDenied

    app = submitted(applicant, writers, referees)
    for actor in (sec_photo, staff_user):
        with pytest.raises(PermissionDenied):
            services.application_decide(
                application=app,
                actor=actor,
                decision="approve",
                reason="x",
                expected_status=S.ASSOCIATION_REVIEW,
            )


def test_secretary_cannot_do_federation_stage(applicant, writers, referees, sec_writers):
    from django.core.exceptions import PermissionDenied

    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="approve",
        reason="好",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=app,
            actor=sec_writers,
            decision="approve",
            reason="好",
            expected_status=S.FEDERATION_REVIEW,
        )


def test_reason_is_mandatory(applicant, writers, referees, sec_writers):
    app = submitted(applicant, writers, referees)
    for decision in ("approve", "reject", "return"):
        with pytest.raises(ValidationError) as exc:
            services.application_decide(
                application=app,
                actor=sec_writers,
                decision=decision,
                reason="  ",
                expected_status=S.ASSOCIATION_REVIEW,
            )
        assert "reason" in exc.value.error_dict
    assert not app.steps.filter(actor=sec_writers).exists()


def test_return_for_revision_loop(applicant, writers, referees, sec_writers, staff_user):
    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="return",
        reason="请补充代表作品",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    app.refresh_from_db()
    assert app.status == S.RETURNED
    assert "请补充代表作品" in ApplicationNotice.objects.filter(application=app).first().text
    services.application_save_draft(
        applicant=applicant,
        actor=applicant,
        application=app,
        data={"statement": "补充了新作品。"},
        new_works=[("诗集", pdf_file())],
    )
    app = services.application_submit(application=app, actor=applicant)
    # both referees had confirmed and are unchanged: straight back to the association
    assert app.status == S.ASSOCIATION_REVIEW and app.works.count() == 2
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="approve",
        reason="已补充",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    services.application_decide(
        application=app,
        actor=staff_user,
        decision="return",
        reason="照片不清晰",
        expected_status=S.FEDERATION_REVIEW,
    )
    app.refresh_from_db()
    assert app.status == S.RETURNED
    assert [s.to_status for s in app.steps.all()][-3:] == [
        "association_review",
        "federation_review",
        "returned",
    ]


def test_returned_application_keeps_association(
    applicant, writers, photographers, referees, sec_writers
):
    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="return",
        reason="补充",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    services.application_save_draft(
        applicant=applicant, actor=applicant, application=app, data={"association": photographers}
    )
    app.refresh_from_db()
    assert app.association == writers


def test_rejection(applicant, writers, referees, sec_writers, django_capture_on_commit_callbacks):
    app = submitted(applicant, writers, referees)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=app,
            actor=sec_writers,
            decision="reject",
            reason="不符合入会条件",
            expected_status=S.ASSOCIATION_REVIEW,
        )
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.membership is None
    assert not Membership.objects.filter(person__id_hash=app.id_hash).exists()
    assert any("不符合入会条件" in m.body for m in mail.outbox if m.to == ["applicant@example.cn"])
    # a rejected application does not block a new one
    again = make_draft(applicant, writers, referees)
    assert services.application_submit(application=again, actor=applicant).status == S.REFEREES


def test_edit_after_submission_is_refused(applicant, writers, referees):
    app = submitted(applicant, writers, referees)
    with pytest.raises(ValidationError):
        services.application_save_draft(
            applicant=applicant, actor=applicant, application=app, data={"statement": "改"}
        )


# --------------------------------------------------------------------------- public notice
def _to_notice(app, sec, staff):
    services.application_decide(
        application=app,
        actor=sec,
        decision="approve",
        reason="好",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    services.application_decide(
        application=app,
        actor=staff,
        decision="approve",
        reason="拟同意，进入公示",
        expected_status=S.FEDERATION_REVIEW,
    )
    app.refresh_from_db()
    return app


def test_notice_end_counts_working_days():
    friday = date(2026, 11, 27)
    assert services.notice_end_date(friday, 1) == friday
    assert services.notice_end_date(friday, 5) == date(2026, 12, 3)
    saturday = date(2026, 11, 28)
    assert services.notice_end_date(saturday, 5) == date(2026, 12, 4)


def test_public_notice_with_dismissed_objection_then_final_approval(
    applicant, writers, referees, sec_writers, staff_user
):
    writers.public_notice_enabled = True
    writers.public_notice_days = 5
    writers.save()
    app = _to_notice(submitted(applicant, writers, referees), sec_writers, staff_user)
    assert app.status == S.PUBLIC_NOTICE
    today = timezone.localdate()
    assert app.notice_starts_on == today
    assert app.notice_ends_on == services.notice_end_date(today, 5)
    assert app.membership is None
    # anonymous objection refused
    with pytest.raises(ValidationError) as exc:
        services.objection_file(application=app, name="", contact="", content="有抄袭")
    assert {"name", "contact"} <= set(exc.value.error_dict)
    objection = services.objection_file(
        application=app, name="李四", contact="13900001111", content="代表作涉嫌抄袭"
    )
    # final approval not possible during the period
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            application=app,
            actor=staff_user,
            decision="approve",
            reason="公示期满",
            expected_status=S.PUBLIC_NOTICE,
        )
    assert exc.value.code == "notice_running"
    services.objection_resolve(
        objection=objection, actor=staff_user, outcome="dismissed", reason="经核实不属实"
    )
    Application.objects.filter(pk=app.pk).update(
        notice_starts_on=today - timedelta(days=10), notice_ends_on=today - timedelta(days=1)
    )
    app.refresh_from_db()
    # after the period, objections are refused
    with pytest.raises(ValidationError) as exc:
        services.objection_file(application=app, name="王五", contact="x", content="y")
    assert exc.value.code == "closed"
    services.application_decide(
        application=app,
        actor=staff_user,
        decision="approve",
        reason="公示期满无异议",
        expected_status=S.PUBLIC_NOTICE,
    )
    app.refresh_from_db()
    assert app.status == S.APPROVED and app.membership.number
    objection.refresh_from_db()
    assert objection.outcome == "dismissed" and objection.decided_by == staff_user


def test_public_notice_upheld_objection_rejects(
    applicant, writers, referees, sec_writers, staff_user
):
    writers.public_notice_enabled = True
    writers.save()
    app = _to_notice(submitted(applicant, writers, referees), sec_writers, staff_user)
    objection = services.objection_file(
        application=app, name="李四", contact="13900001111", content="曾受处分未满期限"
    )
    services.objection_resolve(
        objection=objection, actor=staff_user, outcome="upheld", reason="情况属实"
    )
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.membership is None
    assert "情况属实" in app.steps.last().reason
    assert not Membership.objects.filter(person__id_hash=app.id_hash).exists()
    with pytest.raises(ValidationError):  # decided once only
        services.objection_resolve(
            objection=objection, actor=staff_user, outcome="dismissed", reason="x"
        )


def test_pending_objection_blocks_final_approval(
    applicant, writers, referees, sec_writers, staff_user
):
    writers.public_notice_enabled = True
    writers.save()
    app = _to_notice(submitted(applicant, writers, referees), sec_writers, staff_user)
    services.objection_file(application=app, name="李四", contact="139", content="异议")
    Application.objects.filter(pk=app.pk).update(
        notice_ends_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            application=app,
            actor=staff_user,
            decision="approve",
            reason="期满",
            expected_status=S.PUBLIC_NOTICE,
        )
    assert exc.value.code == "objection_pending"
    assert ApplicationObjection.objects.filter(outcome="pending").count() == 1


# --------------------------------------------------------------------------- numbers
def test_member_number_format_and_never_reused(writers):
    writers.member_number_format = "ZJ{year}{seq:03d}"
    writers.save()
    year = timezone.localdate().year
    m1 = MembershipFactory(association=writers, number=None, joined_on=timezone.localdate())
    m2 = MembershipFactory(association=writers, number=None, joined_on=timezone.localdate())
    assert services.membership_assign_number(membership=m1) == f"ZJ{year}001"
    m1.status = Membership.Status.WITHDRAWN
    m1.left_on = timezone.localdate()
    m1.save()
    assert services.membership_assign_number(membership=m2) == f"ZJ{year}002"
    assert MemberNumberCounter.objects.get(association=writers, year=year).last == 2


def test_member_number_skips_numbers_taken_by_imports(writers):
    year = timezone.localdate().year
    MembershipFactory(association=writers, number=f"AL-ZJ-{year}-0001")
    m = MembershipFactory(association=writers, number=None, joined_on=timezone.localdate())
    assert services.membership_assign_number(membership=m) == f"AL-ZJ-{year}-0002"


def test_reapplication_after_withdrawal_reactivates_with_new_number(
    applicant, writers, referees, sec_writers, staff_user
):
    person = PersonFactory(name="韦小明", id_number=id_for(1), user=applicant)
    old = MembershipFactory(
        person=person,
        association=writers,
        number="AL-ZJ-2019-0007",
        status=Membership.Status.WITHDRAWN,
        joined_on=date(2019, 3, 1),
        left_on=date(2021, 3, 1),
    )
    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="approve",
        reason="好",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    services.application_decide(
        application=app,
        actor=staff_user,
        decision="approve",
        reason="好",
        expected_status=S.FEDERATION_REVIEW,
    )
    old.refresh_from_db()
    assert old.status == Membership.Status.ACTIVE and old.left_on is None
    assert old.number != "AL-ZJ-2019-0007" and old.legacy_number == "AL-ZJ-2019-0007"
    assert Person.objects.filter(id_hash=app.id_hash).count() == 1


def test_existing_person_without_login_is_linked(
    applicant, writers, photographers, referees, sec_writers, staff_user
):
    person = PersonFactory(name="韦小明", id_number=id_for(1))
    MembershipFactory(person=person, association=photographers)
    app = submitted(applicant, writers, referees)
    services.application_decide(
        application=app,
        actor=sec_writers,
        decision="approve",
        reason="好",
        expected_status=S.ASSOCIATION_REVIEW,
    )
    services.application_decide(
        application=app,
        actor=staff_user,
        decision="approve",
        reason="好",
        expected_status=S.FEDERATION_REVIEW,
    )
    person.refresh_from_db()
    assert person.user_id == applicant.pk
    assert person.memberships.count() == 2


def test_audit_entries_name_the_actor(applicant, writers, referees):
    app = make_draft(applicant, writers, referees)
    entry = LogEntry.objects.get_for_object(app).first()
    assert entry.actor_id == applicant.pk
    assert "id_number" not in (entry.changes or {})


def test_steps_are_recorded_with_actor_and_statuses(applicant, writers, referees):
    app = submitted(applicant, writers, referees)
    step = ApplicationStep.objects.filter(application=app).first()
    assert (step.from_status, step.to_status, step.actor_id) == ("draft", "referees", applicant.pk)


def test_mail_failure_does_not_undo_the_decision(
    applicant, writers, referees, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.members.apply_support.BrokenBackend"
    app = make_draft(applicant, writers, referees)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app = services.application_submit(application=app, actor=applicant)
    assert callbacks  # the mails were attempted (and failed quietly)
    app.refresh_from_db()
    assert app.status == S.REFEREES and mail.outbox == []


__all__ = ["UserFactory"]


def test_reviewers_are_emailed_when_an_application_reaches_them(
    applicant,
    writers,
    referees,
    sec_writers,
    sec_photo,
    staff_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted(applicant, writers, referees)
    to = [m.to[0] for m in mail.outbox]
    assert sec_writers.email in to and sec_photo.email not in to
    assert staff_user.email not in to
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=app,
            actor=sec_writers,
            decision="approve",
            reason="好",
            expected_status=S.ASSOCIATION_REVIEW,
        )
    to = [m.to[0] for m in mail.outbox]
    assert staff_user.email in to and sec_writers.email not in to
    review_mail = next(m for m in mail.outbox if m.to == [staff_user.email])
    assert f"/members/apply/{app.pk}/" in review_mail.body
