"""A real Celery worker on the real Redis (Valkey) broker delivers a queued reminder e-mail."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notifications import services
from notifications.models import ReminderLog

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _url_with_db(url: str, db_name: str) -> str:
    base, sep, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + db_name + sep + query


def _set_routes(app, routes):
    """Route the delivery task to the private queue (the app caches its router)."""
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    del app.amqp.router


@pytest.fixture
def mail_worker(settings, tmp_path):
    """A worker on a private queue that writes e-mails as files under tmp_path/mail."""
    from anlong_wenlian.celery import app

    queue = f"test-notify-{os.getpid()}"
    mail_dir = tmp_path / "mail"
    env = dict(os.environ)
    env["DATABASE_URL"] = _url_with_db(
        os.environ["DATABASE_URL"], settings.DATABASES["default"]["NAME"]
    )
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    env["EMAIL_FILE_PATH"] = str(mail_dir)
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
            f"pytest-notify-{os.getpid()}@%h",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    saved_routes = app.conf.task_routes
    _set_routes(app, {"notifications.tasks.deliver_reminder": {"queue": queue}})
    yield mail_dir
    _set_routes(app, saved_routes)
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_real_worker_sends_the_queued_reminder_email_once(mail_worker, member_user):
    reminder = services.notify(
        recipient=member_user,
        kind="worker_test",
        title="年度注册提醒",
        body="请在3月31日前完成年度注册。",
        url="/me/",
        obj_key=f"members.membership:{member_user.pk}",
        period="2027",
    )
    # notify() committed (transactional test) and queued the task on commit.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        reminder.refresh_from_db()
        if reminder.status == ReminderLog.Status.SENT:
            break
        time.sleep(0.3)
    assert reminder.status == ReminderLog.Status.SENT and reminder.email_sent_at is not None
    files = list(mail_worker.glob("*.log"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert member_user.email in text
    # A second notify with the same key queues nothing and sends nothing.
    assert (
        services.notify(
            recipient=member_user,
            kind="worker_test",
            title="年度注册提醒",
            body="",
            obj_key=f"members.membership:{member_user.pk}",
            period="2027",
        )
        is None
    )
    time.sleep(1)
    assert len(list(mail_worker.glob("*.log"))) == 1
