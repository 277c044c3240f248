"""annual_registration (MEM-07): opens on 1 January for every active member, reminds after
30 and 60 days, flags after 31 March and lists those with no participation for staff review;
members confirm in the member centre; staff see the review list."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from anlong_wenlian.celery import app as celery_app
from associations import services as association_services
from associations.models import Body, Role
from members.models import AnnualRegistration, Membership
from notifications.models import Notification, ReminderLog
from portal.jobs import run_job
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
KIND = "annual_registration"
JOB = "annual_registration"


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 2, 30, tzinfo=TZ), tick=False
    )


def _inbox(user):
    return list(
        Notification.objects.filter(recipient=user, kind=KIND)
        .order_by("id")
        .values_list("title", flat=True)
    )


def _counts(run):
    return (run.status, run.done, run.skipped)


@pytest.fixture
def members(writers, photographers, role_users):
    """member_user (writers) confirms; quiet (photographers) never does and took part in
    nothing; holder (writers) never registers but holds an office; a member without an
    account; a withdrawn member; a member who joined in 2027 (registers by joining)."""
    quiet = UserFactory(username="t_ar_quiet", full_name="沉默会员")
    MembershipFactory(person=PersonFactory(name="沉默会员", user=quiet), association=photographers)
    holder = UserFactory(username="t_ar_holder", full_name="理事会员")
    holder_person = PersonFactory(name="理事会员", user=holder)
    MembershipFactory(person=holder_person, association=writers)
    term = association_services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=4,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2029, 1, 1),
        actor=None,
    )
    association_services.office_appoint(
        term=term,
        person=holder_person,
        role=Role.DIRECTOR,
        actor=None,
        today=datetime.date(2024, 1, 1),
    )
    no_account = MembershipFactory(person=PersonFactory(name="无账号会员"), association=writers)
    MembershipFactory(
        person=PersonFactory(name="已退会员"),
        association=writers,
        status=Membership.Status.WITHDRAWN,
        left_on=datetime.date(2025, 1, 1),
    )
    MembershipFactory(
        person=PersonFactory(name="新会员"),
        association=writers,
        joined_on=datetime.date(2027, 2, 1),
    )
    return {
        "member": role_users["member"],
        "quiet": quiet,
        "holder": holder,
        "no_account": no_account,
        "staff": role_users["staff"],
    }


def _due_count():
    return Membership.objects.filter(
        status=Membership.Status.ACTIVE, joined_on__lt=datetime.date(2027, 1, 1)
    ).count()


def test_the_year_of_registration_once_each_step(members, role_users, client_for):
    member, quiet, holder, staff = (
        members["member"],
        members["quiet"],
        members["holder"],
        members["staff"],
    )
    due = _due_count()
    with at(datetime.date(2026, 12, 31)):
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    with at(datetime.date(2027, 1, 1)):
        dry = run_job(JOB, dry_run=True)
        assert _counts(dry) == ("ok", due + 3, 0)
        assert not AnnualRegistration.objects.exists()
        assert not ReminderLog.objects.filter(kind=KIND).exists()
        assert _counts(run_job(JOB)) == ("ok", due + 3, 0)
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    assert AnnualRegistration.objects.filter(year=2027).count() == due
    assert not AnnualRegistration.objects.filter(membership__person__name="新会员").exists()
    assert not AnnualRegistration.objects.filter(membership__person__name="已退会员").exists()
    # The member confirms in the member centre.
    client = client_for(member)
    with at(datetime.date(2027, 1, 10)):
        page = client.get(reverse("portal:member_centre"))
        assert 'data-testid="confirm-registration"' in page.content.decode()
        response = client.post(reverse("me:registration_confirm", args=[2027]))
        assert response.status_code == 302
    row = AnnualRegistration.objects.get(membership__person__user=member, year=2027)
    assert row.confirmed_at is not None
    with at(datetime.date(2027, 1, 30)):
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    with at(datetime.date(2027, 1, 31)):  # 30 days: the two who have not confirmed
        assert _counts(run_job(JOB)) == ("ok", 2, 0)
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    with at(datetime.date(2027, 3, 2)):  # 60 days
        assert _counts(run_job(JOB)) == ("ok", 2, 0)
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    with at(datetime.date(2027, 3, 31)):  # the deadline day itself is still open
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    with at(datetime.date(2027, 4, 1)):
        unconfirmed = due - 1
        no_participation = unconfirmed - 1  # the office holder took part
        assert run_job(JOB, dry_run=True).done == unconfirmed + no_participation
        closed = run_job(JOB)
        assert _counts(closed) == ("ok", unconfirmed + no_participation + 1, 0)  # + staff told
        # The staff notice is checked again (a run that died after flagging still sends
        # it), and found given.
        assert _counts(run_job(JOB)) == ("ok", 0, 1)
    with at(datetime.date(2027, 6, 1)):
        assert _counts(run_job(JOB)) == ("ok", 0, 1)
    assert AnnualRegistration.objects.filter(year=2027, flagged_at__isnull=False).count() == (
        unconfirmed
    )
    listed = set(
        AnnualRegistration.objects.filter(review_listed_at__isnull=False).values_list(
            "membership__person__name", flat=True
        )
    )
    assert "沉默会员" in listed and "无账号会员" in listed
    assert "理事会员" not in listed and "龙雪梅" not in listed
    # Inboxes: the right people, once per step, nobody else.
    assert len(_inbox(member)) == 1
    assert len(_inbox(quiet)) == 3 and len(_inbox(holder)) == 3
    assert len(_inbox(staff)) == 1
    assert _inbox(role_users["sec_writers"]) == [] and _inbox(role_users["sec_photo"]) == []
    # Nothing automatic: the memberships are still active.
    assert Membership.objects.get(person__name="沉默会员").status == Membership.Status.ACTIVE


def test_dates_are_settings_and_runjob_prints_its_line(members, settings):
    settings.ANNUAL_REGISTRATION_OPENS = "02-01"
    settings.ANNUAL_REGISTRATION_DEADLINE = "04-30"
    with at(datetime.date(2027, 1, 15)):
        # 2026's registration (opened 1 February 2026) is closed, with no rows: nothing to do.
        assert run_job(JOB).done == 0
    due = Membership.objects.filter(
        status=Membership.Status.ACTIVE, joined_on__lt=datetime.date(2027, 2, 1)
    ).count()
    with at(datetime.date(2027, 2, 1)):
        out = StringIO()
        call_command("runjob", JOB, stdout=out, stderr=StringIO())
        assert f"{JOB}: {due + 3} done, 0 skipped" in out.getvalue()
    with at(datetime.date(2027, 4, 30)):
        assert AnnualRegistration.objects.filter(flagged_at__isnull=False).count() == 0
        run_job(JOB)
        assert AnnualRegistration.objects.filter(flagged_at__isnull=False).count() == 0
    with at(datetime.date(2027, 5, 1)):
        run_job(JOB)
        assert AnnualRegistration.objects.filter(flagged_at__isnull=False).count() == due


def test_confirm_view_roles_and_bad_input(members, role_users, client_for):
    url = reverse("me:registration_confirm", args=[2027])
    assert url == "/me/registration/2027/confirm/"
    with at(datetime.date(2027, 1, 1)):
        run_job(JOB)
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(role_users["member"]).get(url).status_code == 405
    # Staff and secretaries without a member record have nothing to confirm.
    assert client_for(role_users["staff"]).post(url).status_code == 404
    assert client_for(role_users["sec_writers"]).post(url).status_code == 404
    # A year without a registration: a clear message, nothing changes.
    client = client_for(members["quiet"])
    response = client.post(reverse("me:registration_confirm", args=[2026]), follow=True)
    assert "2026" in response.content.decode()
    assert not AnnualRegistration.objects.filter(confirmed_at__isnull=False).exists()
    # Confirming twice is harmless.
    with at(datetime.date(2027, 1, 2)):
        assert client.post(url).status_code == 302
        first = AnnualRegistration.objects.get(membership__person__user=members["quiet"])
        assert client.post(url).status_code == 302
    again = AnnualRegistration.objects.get(pk=first.pk)
    assert again.confirmed_at == first.confirmed_at
    # Only the member's own registration was confirmed.
    assert AnnualRegistration.objects.filter(confirmed_at__isnull=False).count() == 1


def test_review_list_roles_and_queries(
    members, role_users, client_for, writers, django_assert_max_num_queries
):
    with at(datetime.date(2027, 1, 1)):
        run_job(JOB)
    people = PersonFactory.create_batch(30)
    for person in people:
        MembershipFactory(person=person, association=writers)
    with at(datetime.date(2027, 1, 2)):
        run_job(JOB)  # the new members get their registration too (joined in 2020)
    with at(datetime.date(2027, 4, 1)):
        run_job(JOB)
    url = reverse("members:registration_review")
    expected = {"anonymous": "login", "member": 403, "sec_writers": 403, "sec_photo": 403}
    for role, status in expected.items():
        response = client_for(role_users[role]).get(url)
        if status == "login":
            assert response.status_code == 302 and "login" in response["Location"]
        else:
            assert response.status_code == status, role
    client = client_for(role_users["staff"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "沉默会员" in text and "理事会员" not in text
    assert text.count(reverse("members:member_detail", args=[people[0].memberships.get().pk]))
    dashboard = client.get(reverse("portal:staff_dashboard")).content.decode()
    assert 'data-testid="registration-review-link"' in dashboard
    member_page = client_for(role_users["member"]).get(reverse("portal:staff_dashboard"))
    assert member_page.status_code == 403


def test_beat_schedule_runs_the_registration_job():
    jobs = {entry["args"][0] for entry in celery_app.conf.beat_schedule.values()}
    assert JOB in jobs


def test_a_run_that_died_after_opening_is_finished_by_the_next(members):
    """The worker died after writing the rows, before the messages: the next run sends
    them, once, and opens nothing twice."""
    from members import registration_services

    due = _due_count()
    with at(datetime.date(2027, 1, 1)):
        assert registration_services._open_rows(2027, dry_run=False) == due
        assert not ReminderLog.objects.filter(kind=KIND).exists()
        assert _counts(run_job(JOB)) == ("ok", 3, 0)
        assert _counts(run_job(JOB)) == ("ok", 0, 0)
    assert AnnualRegistration.objects.filter(year=2027).count() == due
    assert ReminderLog.objects.filter(kind=KIND, period="2027").count() == 3
