"""Rules of ORG-02/ORG-03 in the services, and the database constraints behind them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from associations import services
from associations.models import Association, Body, Office, Role, Term
from associations.permissions import managed_association_ids
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = date(2024, 1, 1), date(2029, 1, 1)
TODAY = date(2026, 6, 1)


def council(association, number=1, start=START, end=END, actor=None):
    return services.term_create(
        body=Body.COUNCIL,
        association=association,
        number=number,
        starts_on=start,
        ends_on=end,
        actor=actor,
    )


def presidium(number=1, start=START, end=END):
    return services.term_create(
        body=Body.PRESIDIUM, number=number, starts_on=start, ends_on=end, actor=None
    )


def appoint(term, person, role, **kw):
    kw.setdefault("today", TODAY)
    return services.office_appoint(term=term, person=person, role=role, actor=None, **kw)


def refused(code, fn, *args, **kw):
    with pytest.raises(ValidationError) as info:
        fn(*args, **kw)
    assert info.value.code == code, info.value
    return " ".join(info.value.messages)


@pytest.fixture
def zj(writers):
    return council(writers)


def test_term_end_before_start_refused(writers):
    refused(
        "term_end_before_start",
        council,
        writers,
        start=date(2024, 1, 1),
        end=date(2023, 1, 1),
    )
    assert not Term.objects.exists()


def test_overlapping_terms_of_one_body_refused(writers, photographers):
    council(writers)
    msg = refused("term_overlap", council, writers, number=2, start=date(2028, 1, 1))
    assert "2024" in msg or "1" in msg
    # Another association's council may run at the same time; the next term may follow on.
    council(photographers)
    council(writers, number=2, start=END, end=date(2034, 1, 1))
    assert Term.objects.count() == 3


def test_term_overlap_constraint_in_database(writers):
    council(writers)
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            body=Body.COUNCIL,
            association=writers,
            number=9,
            starts_on=date(2025, 1, 1),
            ends_on=date(2030, 1, 1),
        )


def test_council_limits(zj):
    appoint(zj, PersonFactory(), Role.CHAIR)
    refused("office_limit", appoint, zj, PersonFactory(), Role.CHAIR)
    for _ in range(3):
        appoint(zj, PersonFactory(), Role.VICE_CHAIR)
    msg = refused("office_limit", appoint, zj, PersonFactory(), Role.VICE_CHAIR)
    assert "3" in msg
    appoint(zj, PersonFactory(user=UserFactory()), Role.SECRETARY_GENERAL)
    refused("office_limit", appoint, zj, PersonFactory(user=UserFactory()), Role.SECRETARY_GENERAL)
    appoint(zj, PersonFactory(), Role.DEPUTY_SECRETARY_GENERAL)
    appoint(zj, PersonFactory(), Role.DEPUTY_SECRETARY_GENERAL)
    refused("office_limit", appoint, zj, PersonFactory(), Role.DEPUTY_SECRETARY_GENERAL)
    assert Office.objects.count() == 1 + 3 + 1 + 2
    # Directors have no limit.
    for _ in range(5):
        appoint(zj, PersonFactory(), Role.DIRECTOR)


def test_limit_counts_offices_at_the_same_time(zj):
    """A successor may start the day the predecessor's office ends; not a day earlier."""
    first = appoint(zj, PersonFactory(), Role.CHAIR, ends_on=date(2026, 1, 1))
    appoint(zj, PersonFactory(), Role.CHAIR, starts_on=date(2026, 1, 1))
    assert first.ends_on == date(2026, 1, 1)
    vice = [
        appoint(zj, PersonFactory(), Role.VICE_CHAIR, ends_on=date(2025, 1, 1)),
        appoint(zj, PersonFactory(), Role.VICE_CHAIR),
        appoint(zj, PersonFactory(), Role.VICE_CHAIR),
    ]
    # The first vice-chair left in 2025: a third concurrent one from then on is fine.
    appoint(zj, PersonFactory(), Role.VICE_CHAIR, starts_on=date(2025, 1, 1))
    refused(
        "office_limit", appoint, zj, PersonFactory(), Role.VICE_CHAIR, starts_on=date(2024, 6, 1)
    )
    assert len(vice) == 3


def test_limits_come_from_settings(zj, settings):
    settings.ASSOCIATION_OFFICE_LIMITS = {"vice_chair": 1}
    appoint(zj, PersonFactory(), Role.VICE_CHAIR)
    refused("office_limit", appoint, zj, PersonFactory(), Role.VICE_CHAIR)


def test_second_chair_refused_by_database_too(zj):
    appoint(zj, PersonFactory(), Role.CHAIR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.create(
            term=zj, person=PersonFactory(), role=Role.CHAIR, starts_on=START, ends_on=END
        )


def test_chair_of_another_association_refused_and_named(zj, photographers):
    person = PersonFactory()
    appoint(zj, person, Role.VICE_CHAIR)
    sy = council(photographers)
    msg = refused("office_cross_association", appoint, sy, person, Role.CHAIR)
    assert "安龙县作家协会" in msg
    assert not Office.objects.filter(term=sy).exists()
    # A director seat elsewhere is not restricted.
    appoint(sy, person, Role.DIRECTOR)


def test_cross_association_allowed_after_the_first_office_ends(zj, photographers):
    person = PersonFactory()
    appoint(zj, person, Role.CHAIR, ends_on=date(2025, 1, 1))
    sy = council(photographers)
    appoint(sy, person, Role.CHAIR, starts_on=date(2025, 1, 1))


def test_overlapping_dates_for_the_same_seat_refused(zj):
    person = PersonFactory()
    appoint(zj, person, Role.DIRECTOR, ends_on=date(2026, 1, 1))
    refused("office_seat_overlap", appoint, zj, person, Role.DIRECTOR, starts_on=date(2025, 6, 1))
    appoint(zj, person, Role.DIRECTOR, starts_on=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.create(
            term=zj, person=person, role=Role.DIRECTOR, starts_on=START, ends_on=END
        )


def test_office_end_before_start_refused(zj):
    refused(
        "office_end_before_start",
        appoint,
        zj,
        PersonFactory(),
        Role.DIRECTOR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2025, 1, 1),
    )
    refused(
        "office_outside_term",
        appoint,
        zj,
        PersonFactory(),
        Role.DIRECTOR,
        ends_on=date(2030, 1, 1),
    )
    refused("office_role_not_in_body", appoint, zj, PersonFactory(), Role.COMMITTEE_MEMBER)
    assert not Office.objects.exists()


def test_presidium_chair_and_eighth_part_time_vice_chair(db):
    term = presidium()
    appoint(term, PersonFactory(), Role.CHAIR)
    refused("office_limit", appoint, term, PersonFactory(), Role.CHAIR)
    for _ in range(7):
        office = appoint(term, PersonFactory(), Role.PART_TIME_VICE_CHAIR)
        assert office.part_time
    msg = refused("office_limit", appoint, term, PersonFactory(), Role.PART_TIME_VICE_CHAIR)
    assert "7" in msg
    assert Office.objects.filter(role=Role.PART_TIME_VICE_CHAIR).count() == 7


def test_part_time_vice_chair_second_term_refused(db):
    first = presidium()
    second = presidium(number=2, start=END, end=date(2034, 1, 1))
    person = PersonFactory()
    appoint(first, person, Role.PART_TIME_VICE_CHAIR)
    msg = refused(
        "office_part_time_second_term", appoint, second, person, Role.PART_TIME_VICE_CHAIR
    )
    assert "1" in msg
    # A different person may serve in the second term.
    appoint(second, PersonFactory(), Role.PART_TIME_VICE_CHAIR)


@pytest.mark.parametrize("role", [Role.CHAIR, Role.VICE_CHAIR])
def test_cadre_needs_justification(zj, role):
    person = PersonFactory()
    refused("office_justification_required", appoint, zj, person, role, cadre=True)
    office = appoint(zj, person, role, cadre=True, justification="具有文艺专业背景，经研究同意。")
    assert office.cadre and office.justification


def test_over_age_limit_needs_justification(zj, settings):
    old = PersonFactory(birth_date=date(1950, 3, 1))  # 73 at the start of the term
    refused("office_justification_required", appoint, zj, old, Role.CHAIR)
    # The same person as a director needs none.
    appoint(zj, old, Role.DIRECTOR)
    settings.OFFICER_AGE_LIMIT = 75
    appoint(zj, old, Role.VICE_CHAIR)


def test_secretary_general_needs_a_login(zj):
    msg = refused(
        "office_secretary_without_account",
        appoint,
        zj,
        PersonFactory(name="无账号"),
        Role.SECRETARY_GENERAL,
    )
    assert "无账号" in msg


# -- Secretary scope follows the office -----------------------------------------------------


def test_secretary_scope_granted_and_revoked_when_office_ends(zj, writers):
    user = UserFactory()
    office = appoint(zj, PersonFactory(user=user), Role.SECRETARY_GENERAL)
    assert managed_association_ids(user) == [writers.id]
    assert user.has_perm("associations.manage_association", writers)
    services.office_end(office=office, ends_on=TODAY, actor=None, today=TODAY)
    user = type(user).objects.get(pk=user.pk)
    assert managed_association_ids(user) == []
    office.refresh_from_db()
    assert office.scope_revoked_on == TODAY


def test_scope_revoked_when_office_removed(zj, writers):
    user = UserFactory()
    office = appoint(zj, PersonFactory(user=user), Role.SECRETARY_GENERAL)
    services.office_remove(office=office, actor=None, today=TODAY)
    user = type(user).objects.get(pk=user.pk)
    assert managed_association_ids(user) == []
    assert not Office.objects.exists()


def test_offices_expire_is_idempotent(writers):
    term = council(writers, start=date(2021, 1, 1), end=date(2026, 1, 1))
    user = UserFactory()
    appoint(term, PersonFactory(user=user), Role.SECRETARY_GENERAL, today=date(2025, 6, 1))
    assert managed_association_ids(user) == [writers.id]
    assert services.offices_expire(today=date(2025, 12, 31)) == 0
    assert managed_association_ids(type(user).objects.get(pk=user.pk)) == [writers.id]
    assert services.offices_expire(today=date(2026, 1, 1)) == 1
    assert managed_association_ids(type(user).objects.get(pk=user.pk)) == []
    assert services.offices_expire(today=date(2026, 1, 1)) == 0


def test_future_office_scope_starts_with_the_job(writers):
    term = council(writers)
    user = UserFactory()
    appoint(term, PersonFactory(user=user), Role.SECRETARY_GENERAL, today=date(2023, 12, 1))
    assert managed_association_ids(user) == []
    assert services.offices_start(today=date(2024, 1, 1)) == 1
    assert managed_association_ids(type(user).objects.get(pk=user.pk)) == [writers.id]
    assert services.offices_start(today=date(2024, 1, 2)) == 0


def test_secretary_of_two_associations_keeps_the_other(zj, writers, photographers):
    user = UserFactory()
    person = PersonFactory(user=user)
    office = appoint(zj, person, Role.SECRETARY_GENERAL)
    appoint(council(photographers), person, Role.SECRETARY_GENERAL)
    assert sorted(managed_association_ids(user)) == sorted([writers.id, photographers.id])
    services.office_end(office=office, ends_on=TODAY, actor=None, today=TODAY)
    user = type(user).objects.get(pk=user.pk)
    assert managed_association_ids(user) == [photographers.id]


def test_end_date_rules(zj):
    office = appoint(zj, PersonFactory(), Role.DIRECTOR)
    refused(
        "office_end_before_start",
        services.office_end,
        office=office,
        ends_on=date(2023, 1, 1),
        actor=None,
    )
    refused(
        "office_end_extends",
        services.office_end,
        office=office,
        ends_on=date(2030, 1, 1),
        actor=None,
    )
    office.refresh_from_db()
    assert office.ends_on == END


def test_failed_appointment_saves_nothing(zj, writers):
    """Nothing half-saved: a refused secretary leaves no office and no permission."""
    user = UserFactory()
    appoint(zj, PersonFactory(user=UserFactory()), Role.SECRETARY_GENERAL)
    with pytest.raises(ValidationError):
        appoint(zj, PersonFactory(user=user), Role.SECRETARY_GENERAL)
    assert managed_association_ids(user) == []
    assert Office.objects.count() == 1


def test_meeting_quorum(zj):
    people = [PersonFactory() for _ in range(6)]
    for p in people:
        appoint(zj, p, Role.DIRECTOR)
    meeting = services.meeting_record(
        term=zj,
        held_on=date(2025, 3, 1),
        title="理事会会议",
        present_person_ids=[p.id for p in people[:4]],
        actor=None,
    )
    assert (meeting.expected, meeting.present, meeting.quorate) == (6, 4, True)
    meeting = services.meeting_record(
        term=zj,
        held_on=date(2025, 4, 1),
        title="理事会会议",
        present_person_ids=[p.id for p in people[:3]],
        actor=None,
    )
    assert meeting.quorate is False
    assert meeting.attendance.filter(present=True).count() == 3
    refused(
        "meeting_not_member",
        services.meeting_record,
        term=zj,
        held_on=date(2025, 5, 1),
        title="x",
        present_person_ids=[PersonFactory().id],
        actor=None,
    )


def test_duty_registration(zj):
    holder = PersonFactory()
    appoint(zj, holder, Role.DIRECTOR)
    reg = services.duty_register(person=holder, year=2025, text="组织采风两次。", actor=None)
    again = services.duty_register(person=holder, year=2025, text="组织采风三次。", actor=None)
    assert reg.pk == again.pk and again.text == "组织采风三次。"
    refused(
        "duty_no_office", services.duty_register, person=holder, year=2020, text="x", actor=None
    )
    refused(
        "duty_no_office",
        services.duty_register,
        person=PersonFactory(),
        year=2025,
        text="x",
        actor=None,
    )
    refused("duty_empty", services.duty_register, person=holder, year=2025, text="  ", actor=None)


def test_contact_log_only_own_members(writers, photographers, staff_user):
    from tests.factories import MembershipFactory

    own = MembershipFactory(association=writers)
    other = MembershipFactory(association=photographers)
    services.contact_log(
        association=writers,
        membership=own,
        contacted_on=date(2026, 1, 5),
        channel="phone",
        topic="了解创作情况",
        actor=staff_user,
    )
    refused(
        "contact_other_member",
        services.contact_log,
        association=writers,
        membership=other,
        contacted_on=date(2026, 1, 5),
        channel="phone",
        topic="x",
        actor=staff_user,
    )


def test_association_fixture_is_the_real_one(writers):
    assert writers.name == Association.objects.get(code="ZJ").name
