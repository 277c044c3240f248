"""A real Celery beat and worker on the real Redis (Valkey) broker: the scheduled
``term_expiry`` job runs, is recorded as a beat run, and its reminder reaches the inbox once."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from associations import services as association_services
from associations.models import Body, Role
from notifications.models import Notification
from portal.models import JobRun
from tests.factories import PersonFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BEAT = """
import sys
from anlong_wenlian.celery import app

queue, schedule_file = sys.argv[1], sys.argv[2]
app.conf.beat_schedule = {
    "term-expiry-test": {
        "task": "portal.tasks.run_job",
        "schedule": 2.0,
        "args": ("term_expiry",),
        "options": {"queue": queue},
    }
}
app.Beat(schedule=schedule_file, loglevel="WARNING", max_interval=1).run()
"""


def _url_with_db(url: str, db_name: str) -> str:
    base, sep, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + db_name + sep + query


@pytest.fixture
def office_holder(writers):
    """A chair whose office ends in five days (created before beat starts)."""
    today = timezone.localdate()
    term = association_services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=9,
        starts_on=today - datetime.timedelta(days=3 * 365),
        ends_on=today + datetime.timedelta(days=5),
        actor=None,
    )
    holder = UserFactory(username="t_beat_holder", full_name="届满测试")
    association_services.office_appoint(
        term=term,
        person=PersonFactory(name="届满测试", user=holder),
        role=Role.CHAIR,
        actor=None,
        today=today,
    )
    return holder


@pytest.fixture
def beat_and_worker(settings, tmp_path, office_holder):
    queue = f"test-beat-{os.getpid()}"
    env = dict(os.environ)
    env["DATABASE_URL"] = _url_with_db(
        os.environ["DATABASE_URL"], settings.DATABASES["default"]["NAME"]
    )
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    worker = [sys.executable, "-m", "celery", "-A", "anlong_wenlian", "worker", "-l", "warning"]
    worker += ["--pool", "solo", "-n", f"pytest-beat-{os.getpid()}@%h", "-Q", queue]
    beat = [sys.executable, "-c", BEAT, queue, str(tmp_path / "beat-schedule")]
    procs = [
        subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for cmd in (worker, beat)
    ]
    yield office_holder
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_beat_runs_the_scheduled_job_and_the_reminder_arrives_once(beat_and_worker):
    holder = beat_and_worker
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if JobRun.objects.filter(job="term_expiry", trigger="beat").count() >= 2:
            break
        time.sleep(0.5)
    runs = list(JobRun.objects.filter(job="term_expiry", trigger="beat").order_by("started_at"))
    assert len(runs) >= 2, "beat did not schedule the job twice within two minutes"
    assert runs[0].status == "ok" and runs[0].done >= 1
    assert all(run.status in {"ok", "skipped", "running"} for run in runs[1:])
    assert all(run.done == 0 for run in runs[1:] if run.status == "ok")
    inbox = Notification.objects.filter(recipient=holder, kind="term_expiry")
    assert inbox.count() == 1 and "届满测试" in inbox.get().title
