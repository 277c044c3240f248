"""duty_registration, association_appraisal and congress_due: what is due is acted on once,
for the right people and nobody else; a dry run changes nothing; runjob prints its line."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from anlong_wenlian.celery import app as celery_app
from associations import services as association_services
from associations.models import Appraisal, Association, Body, Congress, Role
from notifications.models import Notification, ReminderLog
from portal.jobs import run_job
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 7, 10, tzinfo=TZ), tick=False
    )


def _inbox(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind)
        .order_by("id")
        .values_list("title", flat=True)
    )


def _counts(run):
    return (run.status, run.done, run.skipped)


# -- duty_registration ------------------------------------------------------------------------


@pytest.fixture
def holders(writers):
    """A chair and a director of the writers' council, in office through 2027, and a former
    holder whose office ended in 2025 (not a holder in 2026)."""
    term = association_services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=6,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
        actor=None,
    )
    people = {}
    for username, role in (("t_d_chair", Role.CHAIR), ("t_d_dir", Role.DIRECTOR)):
        user = UserFactory(username=username, full_name=f"履职{username}")
        person = PersonFactory(name=user.full_name, user=user)
        association_services.office_appoint(
            term=term, person=person, role=role, actor=None, today=datetime.date(2025, 1, 1)
        )
        people[username] = (user, person)
    former = UserFactory(username="t_d_former", full_name="卸任者")
    association_services.office_appoint(
        term=term,
        person=PersonFactory(name="卸任者", user=former),
        role=Role.VICE_CHAIR,
        actor=None,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 1),
        today=datetime.date(2025, 1, 1),
    )
    people["former"] = (former, None)
    # An office holder without an account cannot be told anything.
    association_services.office_appoint(
        term=term,
        person=PersonFactory(name="无账号", user=None),
        role=Role.STANDING_DIRECTOR,
        actor=None,
        today=datetime.date(2025, 1, 1),
    )
    return people


def test_duty_registration_opens_reminds_and_reports_once(holders, role_users):
    chair, chair_person = holders["t_d_chair"]
    director, _ = holders["t_d_dir"]
    former, _ = holders["former"]
    staff = role_users["staff"]
    kind = "duty_registration"
    with at(datetime.date(2026, 11, 30)):
        assert _counts(run_job("duty_registration")) == ("ok", 0, 0)
    with at(datetime.date(2026, 12, 1)):
        dry = run_job("duty_registration", dry_run=True)
        assert _counts(dry) == ("ok", 2, 0)
        assert not ReminderLog.objects.filter(kind=kind).exists()
        assert _counts(run_job("duty_registration")) == ("ok", 2, 0)
        assert _counts(run_job("duty_registration")) == ("ok", 0, 2)
    assert len(_inbox(chair, kind)) == 1 and "2026" in _inbox(chair, kind)[0]
    assert Notification.objects.get(recipient=chair, kind=kind).url == reverse(
        "associations:my_duty"
    )
    # The chair files; the director does not.
    association_services.duty_register(
        person=chair_person, year=2026, text="组织采风三次", actor=chair
    )
    with at(datetime.date(2026, 12, 20)):
        assert _counts(run_job("duty_registration")) == ("ok", 0, 1)
    with at(datetime.date(2026, 12, 31)):
        # The director is reminded; staff get the completion report (1 of 2 filed).
        assert _counts(run_job("duty_registration")) == ("ok", 2, 0)
        assert _counts(run_job("duty_registration")) == ("ok", 0, 2)
    with at(datetime.date(2027, 1, 15)):
        assert _counts(run_job("duty_registration")) == ("ok", 0, 2)
    assert len(_inbox(chair, kind)) == 1
    assert len(_inbox(director, kind)) == 2
    report = _inbox(staff, kind)
    assert len(report) == 1 and "1" in report[0] and "2" in report[0]
    for nobody in (
        former,
        role_users["sec_writers"],
        role_users["sec_photo"],
        role_users["member"],
    ):
        assert _inbox(nobody, kind) == []
    # After the window nothing more for 2026; 2027 opens on 1 December 2027.
    with at(datetime.date(2027, 6, 1)):
        assert _counts(run_job("duty_registration")) == ("ok", 0, 0)


def test_duty_registration_opening_day_is_a_setting(holders, settings):
    settings.DUTY_REGISTRATION_OPENS = "11-15"
    with at(datetime.date(2026, 11, 15)):
        assert run_job("duty_registration").done == 2


def test_runjob_prints_the_summary_line(holders):
    with at(datetime.date(2026, 12, 2)):
        out = StringIO()
        call_command("runjob", "duty_registration", stdout=out, stderr=StringIO())
        assert "duty_registration: 2 done, 0 skipped" in out.getvalue()
        out = StringIO()
        call_command("runjob", "duty_registration", "--dry-run", stdout=out, stderr=StringIO())
        assert "duty_registration: 0 done, 2 skipped" in out.getvalue()


# -- association_appraisal --------------------------------------------------------------------


def test_appraisal_drafts_created_refreshed_and_final_left_alone(
    writers, photographers, role_users
):
    staff = role_users["staff"]
    sec = role_users["sec_writers"]
    active = Association.objects.exclude(status=Association.Status.DISSOLVED).count()
    with at(datetime.date(2027, 1, 1)):
        dry = run_job("association_appraisal", dry_run=True)
        assert dry.done == active + 1 and not Appraisal.objects.exists()
        first = run_job("association_appraisal")
        assert _counts(first) == ("ok", active + 1, 0)  # drafts + staff told
        assert Appraisal.objects.filter(year=2026, status="draft").count() == active
        assert _counts(run_job("association_appraisal")) == ("ok", 0, active + 1)
    draft = Appraisal.objects.get(association=writers, year=2026)
    assert set(draft.metrics) >= {"members_gained", "duty_filed"} and draft.score is not None
    # Finalise the photographers' appraisal; a new member of the writers changes its figures.
    association_services.appraisal_set_survey(
        association=photographers,
        year=2026,
        awareness=80,
        participation=70,
        satisfaction=90,
        actor=staff,
    )
    association_services.appraisal_sign(association=photographers, year=2026, actor=sec)
    association_services.appraisal_finalise(association=photographers, year=2026, actor=staff)
    final = Appraisal.objects.get(association=photographers, year=2026)
    frozen = (final.metrics, final.score, final.finalised_at)
    from tests.factories import MembershipFactory

    MembershipFactory(association=writers, joined_on=datetime.date(2026, 5, 1))
    with at(datetime.date(2027, 2, 1)):
        refreshed = run_job("association_appraisal")
        assert refreshed.status == "ok" and refreshed.done >= 1
        assert _counts(run_job("association_appraisal")) == ("ok", 0, active + 1)
    draft.refresh_from_db()
    assert draft.metrics["members_gained"] == 1 and draft.status == "draft"
    final.refresh_from_db()
    assert (final.metrics, final.score, final.finalised_at) == frozen
    assert final.status == "final"
    assert len(_inbox(staff, "association_appraisal")) == 1
    for nobody in (sec, role_users["sec_photo"], role_users["member"]):
        assert _inbox(nobody, "association_appraisal") == []


# -- congress_due -----------------------------------------------------------------------------


def test_congress_and_council_terms_nearing_five_years_warn_staff_once(
    writers, photographers, role_users
):
    staff = role_users["staff"]
    other_staff = UserFactory(username="t_staff2", roles=["文联工作人员"])
    Congress.objects.create(number=9, held_on=datetime.date(2022, 6, 1))
    Congress.objects.create(number=8, held_on=datetime.date(2017, 6, 1))
    association_services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=3,
        starts_on=datetime.date(2022, 9, 1),
        ends_on=datetime.date(2027, 9, 1),
        actor=None,
    )
    # The photographers re-elected in 2025: nothing due for them for years.
    association_services.term_create(
        body=Body.COUNCIL,
        association=photographers,
        number=2,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
        actor=None,
    )
    association_services.term_create(
        body=Body.COUNCIL,
        association=photographers,
        number=3,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
        actor=None,
    )
    with at(datetime.date(2026, 11, 1)):  # congress due 2027-06-01: 212 days away
        assert _counts(run_job("congress_due")) == ("ok", 0, 0)
    with at(datetime.date(2026, 12, 1)):  # 182 days away
        assert _counts(run_job("congress_due")) == ("ok", 0, 0)
    with at(datetime.date(2027, 1, 1)):  # congress within 180 days; council term not yet
        assert run_job("congress_due", dry_run=True).done == 2
        assert _counts(run_job("congress_due")) == ("ok", 2, 0)
        assert _counts(run_job("congress_due")) == ("ok", 0, 2)
    with at(datetime.date(2027, 4, 1)):  # council term due 2027-09-01 within 180 days too
        assert _counts(run_job("congress_due")) == ("ok", 2, 2)
    with at(datetime.date(2027, 8, 1)):  # the congress is overdue: still once only
        assert _counts(run_job("congress_due")) == ("ok", 0, 4)
    titles = _inbox(staff, "congress_due")
    assert len(titles) == 2 and len(_inbox(other_staff, "congress_due")) == 2
    assert any("9" in t for t in titles) and any(writers.name in t for t in titles)
    assert not any(photographers.name in t for t in titles)
    for nobody in (role_users["sec_writers"], role_users["sec_photo"], role_users["member"]):
        assert _inbox(nobody, "congress_due") == []
    # A new congress is a new object: its own reminders in five years' time.
    Congress.objects.create(number=10, held_on=datetime.date(2027, 7, 1))
    with at(datetime.date(2027, 8, 2)):
        assert _counts(run_job("congress_due")) == ("ok", 0, 2)


def test_warning_days_are_a_setting(settings, role_users):
    settings.CONGRESS_DUE_WARNING_DAYS = 30
    Congress.objects.create(number=9, held_on=datetime.date(2022, 6, 1))
    with at(datetime.date(2027, 1, 1)):
        assert run_job("congress_due").done == 0
    with at(datetime.date(2027, 5, 2)):
        assert run_job("congress_due").done == 1


def test_beat_schedule_runs_the_governance_jobs():
    jobs = {entry["args"][0] for entry in celery_app.conf.beat_schedule.values()}
    assert {"duty_registration", "association_appraisal", "congress_due"} <= jobs


@pytest.mark.parametrize(
    "kind",
    ["duty_registration", "association_appraisal", "congress_due", "application_review_deadline"],
)
def test_each_kind_has_its_email_template(kind, role_users):
    from django.template.loader import get_template

    from notifications import services

    get_template(f"notifications/email/{kind}.txt")
    reminder = services.notify(
        recipient=role_users["staff"],
        kind=kind,
        title="标题甲",
        body="正文乙",
        url="/x/",
        obj_key="test:1",
        period="2027",
    )
    subject, text = services.render_email(reminder)
    assert "标题甲" in subject and "标题甲" in text and "正文乙" in text and "/x/" in text
