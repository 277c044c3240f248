from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.services import housekeeping_run

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    data = response.json()
    assert data["database"] == "ok"
    assert data["redis"] == "ok"
    # Without a worker running the portal is degraded and says so.
    if data["worker"] != "ok":
        assert response.status_code == 503 and data["status"] == "degraded"


def test_housekeeping_deletes_expired_sessions_and_old_lockouts_idempotently():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="x", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="x", expire_date=now + timedelta(days=1))
    attempt = AccessAttempt.objects.create(
        username="u",
        ip_address="10.0.0.1",
        user_agent="t",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(hours=2))
    first = housekeeping_run(now=now)
    assert (first.sessions_deleted, first.lockouts_cleared) == (1, 1)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
    second = housekeeping_run(now=now)
    assert (second.sessions_deleted, second.lockouts_cleared) == (0, 0)


def test_beat_schedule_is_in_code():
    from anlong_wenlian.celery import app

    jobs = {
        entry["args"][0]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "portal.tasks.run_job"
    }
    assert "housekeeping" in jobs
    assert app.conf.task_acks_late and app.conf.task_serializer == "json"
