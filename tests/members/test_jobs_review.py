"""application_review_deadline: an application waiting at one review stage more than N days
reminds that stage's reviewers once, at 2N staff too; a new stage starts a new period."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from anlong_wenlian.celery import app as celery_app
from members.models import Application, ApplicationStep
from notifications.models import Notification, ReminderLog
from portal.jobs import run_job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
KIND = "application_review_deadline"
ENTERED = datetime.date(2027, 3, 1)


def at(day: datetime.date, hour=7):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ), tick=False
    )


def _move(application, status, day):
    """Move the application to ``status`` on ``day``, recording the step as the service does."""
    with at(day, hour=10):
        ApplicationStep.objects.create(
            application=application, from_status=application.status, to_status=status
        )
        application.status = status
        application.save(update_fields=["status", "updated_at"])


@pytest.fixture
def application(writers):
    applicant = UserFactory(username="t_rev_applicant", full_name="申请人")
    with at(ENTERED - datetime.timedelta(days=3)):
        app = Application.objects.create(
            applicant=applicant,
            association=writers,
            status=Application.Status.REFEREES,
            name="韦小明",
            submitted_at=datetime.datetime(2027, 2, 26, 9, tzinfo=TZ),
        )
    _move(app, Application.Status.ASSOCIATION_REVIEW, ENTERED)
    return app


def _inbox(user):
    return list(
        Notification.objects.filter(recipient=user, kind=KIND).values_list("url", flat=True)
    )


def _counts(run):
    return (run.status, run.done, run.skipped)


def test_reviewers_then_staff_reminded_once_per_threshold(application, role_users):
    sec, staff = role_users["sec_writers"], role_users["staff"]
    with at(ENTERED + datetime.timedelta(days=15)):
        assert _counts(run_job(KIND)) == ("ok", 0, 0)
    with at(ENTERED + datetime.timedelta(days=16)):
        assert _counts(run_job(KIND, dry_run=True)) == ("ok", 1, 0)
        assert not ReminderLog.objects.filter(kind=KIND).exists()
        assert _counts(run_job(KIND)) == ("ok", 1, 0)
        assert _counts(run_job(KIND)) == ("ok", 0, 1)
    assert _inbox(sec) == [reverse("members:apply_detail", args=[application.pk])]
    assert _inbox(staff) == []
    with at(ENTERED + datetime.timedelta(days=25)):
        assert _counts(run_job(KIND)) == ("ok", 0, 1)
    with at(ENTERED + datetime.timedelta(days=31)):  # more than 2N: secretary and staff
        assert _counts(run_job(KIND)) == ("ok", 2, 0)
        assert _counts(run_job(KIND)) == ("ok", 0, 2)
    assert len(_inbox(sec)) == 2 and len(_inbox(staff)) == 1
    for nobody in (role_users["sec_photo"], role_users["member"], application.applicant):
        assert _inbox(nobody) == []
    # The association approves: the federation review is a new waiting period, for staff.
    fed_day = ENTERED + datetime.timedelta(days=32)
    _move(application, Application.Status.FEDERATION_REVIEW, fed_day)
    with at(fed_day + datetime.timedelta(days=10)):
        assert _counts(run_job(KIND)) == ("ok", 0, 0)
    with at(fed_day + datetime.timedelta(days=16)):
        assert _counts(run_job(KIND)) == ("ok", 1, 0)
    assert len(_inbox(sec)) == 2 and len(_inbox(staff)) == 2
    # Decided: nothing more.
    _move(application, Application.Status.APPROVED, fed_day + datetime.timedelta(days=17))
    with at(fed_day + datetime.timedelta(days=40)):
        assert _counts(run_job(KIND)) == ("ok", 0, 0)


def test_returned_and_resubmitted_starts_a_new_period(application, role_users):
    sec = role_users["sec_writers"]
    with at(ENTERED + datetime.timedelta(days=16)):
        assert run_job(KIND).done == 1
    _move(application, Application.Status.RETURNED, ENTERED + datetime.timedelta(days=17))
    back = ENTERED + datetime.timedelta(days=20)
    _move(application, Application.Status.ASSOCIATION_REVIEW, back)
    with at(back + datetime.timedelta(days=10)):
        assert run_job(KIND).done == 0
    with at(back + datetime.timedelta(days=16)):
        assert run_job(KIND).done == 1
    assert len(_inbox(sec)) == 2


def test_days_are_a_setting_and_runjob_prints_its_line(application, role_users, settings):
    settings.APPLICATION_REVIEW_DAYS = 5
    with at(ENTERED + datetime.timedelta(days=6)):
        out = StringIO()
        call_command("runjob", KIND, "--dry-run", stdout=out, stderr=StringIO())
        assert f"{KIND}: 1 done, 0 skipped" in out.getvalue()
        out = StringIO()
        call_command("runjob", KIND, stdout=out, stderr=StringIO())
        assert f"{KIND}: 1 done, 0 skipped" in out.getvalue()
    assert len(_inbox(role_users["sec_writers"])) == 1


def test_beat_schedule_runs_the_review_job():
    jobs = {entry["args"][0] for entry in celery_app.conf.beat_schedule.values()}
    assert KIND in jobs
