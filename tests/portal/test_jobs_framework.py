"""The job framework: registry, recorded runs, advisory lock, runjob command, schedule."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from portal import jobs
from portal.models import JobRun


@pytest.fixture
def temp_job():
    names = []

    def register(name, func, description=""):
        jobs.job(name, description=description)(func)
        names.append(name)

    yield register
    for name in names:
        jobs.unregister(name)


def _expired_session(key="old"):
    Session.objects.create(
        session_key=key, session_data="x", expire_date=timezone.now() - timedelta(days=1)
    )


@pytest.mark.django_db
def test_registry_finds_jobs_of_every_app():
    names = {registered.name for registered in jobs.all_jobs()}
    assert {"housekeeping", "reminder_requeue"} <= names
    with pytest.raises(KeyError):
        jobs.get_job("no_such_job")


@pytest.mark.django_db
def test_run_is_recorded_with_counts(temp_job):
    seen = {}

    def sample(*, now, dry_run):
        seen.update(now=now, dry_run=dry_run)
        return jobs.JobResult(done=3, skipped=2)

    temp_job("t_sample", sample)
    moment = timezone.now() - timedelta(days=400)
    run = jobs.run_job("t_sample", now=moment, trigger="beat")
    assert seen == {"now": moment, "dry_run": False}
    run = JobRun.objects.get(pk=run.pk)
    assert (run.status, run.done, run.skipped, run.trigger, run.dry_run) == (
        "ok",
        3,
        2,
        "beat",
        False,
    )
    assert run.finished_at >= run.started_at and run.errors == ""


@pytest.mark.django_db
def test_failure_is_recorded_and_the_lock_released(temp_job):
    calls = []

    def broken(*, now, dry_run):
        calls.append(1)
        raise RuntimeError("的确坏了")

    temp_job("t_broken", broken)
    first = jobs.run_job("t_broken")
    assert first.status == "failed" and "RuntimeError: 的确坏了" in first.errors
    second = jobs.run_job("t_broken")
    assert second.status == "failed" and len(calls) == 2  # not "already running"


@pytest.mark.django_db
def test_reported_errors_mark_the_run_failed(temp_job):
    temp_job("t_partial", lambda *, now, dry_run: jobs.JobResult(done=1, errors=["第2行有误"]))
    run = jobs.run_job("t_partial")
    assert run.status == "failed" and run.done == 1 and run.errors == "第2行有误"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_one_acts_one_is_skipped(temp_job):
    started, release = threading.Event(), threading.Event()
    acted = []

    def slow(*, now, dry_run):
        acted.append(threading.get_ident())
        started.set()
        assert release.wait(30)
        return jobs.JobResult(done=1)

    temp_job("t_slow", slow)
    results = {}

    def run(label):
        try:
            results[label] = jobs.run_job("t_slow")
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert started.wait(30)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(30)
    release.set()
    first.join(30)
    assert len(acted) == 1
    assert results["first"].status == "ok" and results["first"].done == 1
    assert results["second"].status == "skipped" and results["second"].note == "already running"
    assert sorted(JobRun.objects.filter(job="t_slow").values_list("status", flat=True)) == [
        "ok",
        "skipped",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_run_releases_its_lock(temp_job, settings):
    """A worker that died holding the lock: its database session ends and the lock with it."""
    temp_job("t_after_kill", lambda *, now, dry_run: jobs.JobResult(done=1))
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    other.execute("SELECT pg_advisory_lock(%s)", [jobs.lock_key("t_after_kill")])
    dead = JobRun.objects.create(job="t_after_kill", started_at=timezone.now())  # its record
    assert jobs.run_job("t_after_kill").status == "skipped"
    other.close()  # the "worker" dies; its server process ends and frees the lock
    _wait_until_lock_is_free(jobs.lock_key("t_after_kill"))
    assert jobs.run_job("t_after_kill").status == "ok"
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at and "interrupted" in dead.note


def _wait_until_lock_is_free(key, timeout=15):
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                return
            time.sleep(0.1)
    raise AssertionError("the advisory lock was not released")


@pytest.mark.django_db
def test_housekeeping_job_and_runjob_summary_line(capsys):
    _expired_session()
    out, err = StringIO(), StringIO()
    call_command("runjob", "housekeeping", stdout=out, stderr=err)
    assert out.getvalue() == "housekeeping: 1 done, 0 skipped\n"
    assert not Session.objects.filter(session_key="old").exists()
    out = StringIO()
    call_command("runjob", "housekeeping", stdout=out)
    assert out.getvalue() == "housekeeping: 0 done, 0 skipped\n"
    run = JobRun.objects.filter(job="housekeeping").first()
    assert run.trigger == "command" and run.status == "ok"


@pytest.mark.django_db
def test_runjob_dry_run_changes_nothing():
    _expired_session()
    out, err = StringIO(), StringIO()
    call_command("runjob", "housekeeping", "--dry-run", stdout=out, stderr=err)
    assert out.getvalue() == "housekeeping: 1 done, 0 skipped\n"
    assert "dry run" in err.getvalue()
    assert Session.objects.filter(session_key="old").exists()
    assert JobRun.objects.get(job="housekeeping").dry_run is True


@pytest.mark.django_db
def test_runjob_list_unknown_and_failing(temp_job):
    out = StringIO()
    call_command("runjob", "--list", stdout=out)
    listed = [line.split("\t")[0] for line in out.getvalue().splitlines()]
    assert "housekeeping" in listed and "reminder_requeue" in listed
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("runjob", "nope", stdout=StringIO())

    def broken(*, now, dry_run):
        raise ValueError("坏数据")

    temp_job("t_cmd_broken", broken)
    out = StringIO()
    with pytest.raises(CommandError, match="坏数据"):
        call_command("runjob", "t_cmd_broken", stdout=out)
    assert out.getvalue() == "t_cmd_broken: 0 done, 0 skipped\n"


def test_runjob_exits_non_zero_on_failure(tmp_path):
    """As a real process: one summary line on stdout, errors on stderr, exit status 1."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "manage.py", "runjob", "no_such_job"],
        cwd=root,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "no_such_job" in proc.stderr and proc.stdout == ""


def test_beat_entries_run_registered_jobs():
    from anlong_wenlian.celery import app

    entries = app.conf.beat_schedule.values()
    run_job_args = {entry["args"][0] for entry in entries if entry["task"] == jobs.RUN_JOB_TASK}
    assert {"housekeeping", "reminder_requeue"} <= run_job_args
    assert set(run_job_args) <= {registered.name for registered in jobs.all_jobs()}


@pytest.mark.django_db
def test_celery_task_runs_the_job_and_records_beat_trigger():
    from portal.tasks import run_job

    _expired_session()
    outcome = run_job.apply(args=["housekeeping"]).get()
    assert outcome["status"] == "ok" and outcome["done"] == 1
    assert JobRun.objects.get(pk=outcome["run"]).trigger == "beat"
    assert run_job.acks_late


def test_schedule_described_in_chinese():
    from celery.schedules import crontab
    from django.utils import translation

    with translation.override("zh-hans"):
        daily = str(jobs.describe_schedule(crontab(hour=3, minute=15)))
        yearly = str(
            jobs.describe_schedule(crontab(month_of_year=1, day_of_month=1, hour=7, minute=0))
        )
        monthly = str(jobs.describe_schedule(crontab(day_of_month=1, hour=8, minute=30)))
        hourly = str(jobs.describe_schedule(crontab(minute=40)))
    assert "03:15" in daily and "07:00" in yearly and "08:30" in monthly and "40" in hourly
    assert len({daily, yearly, monthly, hourly}) == 4
    assert "1" in yearly
