"""A real Celery worker against the real Redis (Valkey) broker runs the housekeeping job."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker(settings):
    env = dict(os.environ)
    db_name = settings.DATABASES["default"]["NAME"]  # the test database
    env["DATABASE_URL"] = _url_with_db(os.environ["DATABASE_URL"], db_name)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "anlong_wenlian",
            "worker",
            "-l",
            "warning",
            "--pool",
            "solo",
            "-n",
            f"pytest-{os.getpid()}@%h",
            "-Q",
            f"test-{os.getpid()}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield f"test-{os.getpid()}"
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _url_with_db(url: str, db_name: str) -> str:
    base, sep, query = url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + db_name
    return base + sep + query


def test_real_worker_runs_housekeeping(worker):
    from portal.tasks import housekeeping

    Session.objects.create(
        session_key="expired-one", session_data="x", expire_date=timezone.now() - timedelta(days=1)
    )
    result = housekeeping.apply_async(queue=worker)
    outcome = result.get(timeout=60)
    assert outcome["sessions_deleted"] >= 1
    deadline = time.monotonic() + 10
    while (
        Session.objects.filter(session_key="expired-one").exists() and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert not Session.objects.filter(session_key="expired-one").exists()
