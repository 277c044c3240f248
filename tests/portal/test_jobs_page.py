"""The staff jobs page: role matrix, schedule, last 50 runs, "run now" queued on commit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import JobRun

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
EXPECTED = {"anonymous": "login", "member": 403, "sec_writers": 403, "sec_photo": 403, "staff": 200}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_jobs_page_role_matrix(role, role_users, client_for):
    response = client_for(role_users[role]).get(reverse("portal:jobs"))
    want = EXPECTED[role]
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want


@pytest.mark.parametrize("role", list(EXPECTED))
def test_run_now_role_matrix(role, role_users, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(role_users[role]).post(
            reverse("portal:job_run"), {"job": "housekeeping"}
        )
    want = EXPECTED[role]
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert callbacks == []
    elif want == 403:
        assert response.status_code == 403 and callbacks == []
    else:
        assert response.status_code == 302 and len(callbacks) == 1


def test_runs_and_schedule_are_visible_to_staff(
    staff_user, client_for, django_assert_max_num_queries
):
    now = timezone.now()
    JobRun.objects.bulk_create(
        JobRun(
            job="housekeeping",
            started_at=now - timedelta(hours=i),
            finished_at=now - timedelta(hours=i) + timedelta(seconds=3),
            status="ok",
            done=i,
            trigger="beat",
            actor=staff_user if i % 2 else None,
        )
        for i in range(60)
    )
    JobRun.objects.create(
        job="reminder_requeue",
        started_at=now,
        finished_at=now,
        status="skipped",
        note="already running",
    )
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("portal:jobs"))
    body = response.content.decode()
    assert body.count('data-testid="run-row"') == 50
    assert "每天 03:15" in body or "03:15" in body
    assert "housekeeping" in body and "reminder_requeue" in body
    assert "文联干部" in body  # who started the manual runs


def test_run_now_queues_the_task_and_records_the_actor(
    staff_user, client_for, django_capture_on_commit_callbacks
):
    from anlong_wenlian.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(staff_user).post(
                reverse("portal:job_run"), {"job": "housekeeping", "dry_run": "on"}
            )
    finally:
        app.conf.task_always_eager = saved
    assert response.status_code == 302
    run = JobRun.objects.get(job="housekeeping")
    assert (run.trigger, run.actor, run.dry_run, run.status) == ("manual", staff_user, True, "ok")


def test_run_now_refuses_an_unknown_job(staff_user, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(staff_user).post(
            reverse("portal:job_run"), {"job": "rm -rf"}, follow=True
        )
    assert callbacks == []
    assert "rm -rf" in response.content.decode()
    assert not JobRun.objects.exists()
