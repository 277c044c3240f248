"""notify(): a reminder is given once per key; e-mail goes out once, even through SMTP outages."""

import smtplib

import pytest
from django.core import mail

from notifications import selectors, services
from notifications.models import Notification, NotificationPreference, ReminderLog, SMSMessage
from notifications.tasks import deliver_reminder
from tests.factories import UserFactory
from tests.notifications.smtp_double import BACKEND, FlakySMTPBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    from anlong_wenlian.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = BACKEND
    FlakySMTPBackend.failures_left = 0
    FlakySMTPBackend.refused = 0
    yield FlakySMTPBackend
    FlakySMTPBackend.failures_left = 0


def _remind(user, **overrides):
    values = {
        "recipient": user,
        "kind": "test_reminder",
        "title": "请完成2027年度会员注册",
        "body": "注册截止日期为3月31日。",
        "url": "/me/",
        "obj_key": "members.membership:42",
        "period": "2027",
    }
    values.update(overrides)
    return services.notify(**values)


def test_notify_twice_with_same_key_gives_one_inbox_item_and_one_email(
    member_user, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _remind(member_user)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = _remind(member_user, title="另一个标题")
    assert first is not None and second is None
    assert second_callbacks == []
    assert Notification.objects.filter(recipient=member_user).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member_user.email]
    assert "请完成2027年度会员注册" in message.subject and "安龙县文联" in message.subject
    assert "注册截止日期为3月31日。" in message.body
    assert "http://127.0.0.1:8000/me/" in message.body
    first.refresh_from_db()
    assert first.status == ReminderLog.Status.SENT and first.sent_at and first.email_sent_at


def test_another_period_or_object_is_a_new_reminder(member_user):
    assert _remind(member_user) is not None
    assert _remind(member_user, period="2028") is not None
    assert _remind(member_user, obj_key="members.membership:43") is not None
    assert _remind(member_user, kind="other_kind") is not None
    assert _remind(UserFactory(username="someone_else")) is not None
    assert _remind(member_user) is None
    assert ReminderLog.objects.count() == 5
    assert Notification.objects.filter(recipient=member_user).count() == 4


def test_email_is_queued_only_on_commit(member_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = _remind(member_user)
    assert len([c for c in callbacks if "deliver_reminder" in repr(c)]) == 1
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == ReminderLog.Status.PENDING and reminder.channels == ["email"]


def test_smtp_down_then_up_keeps_reminder_pending_then_sends_exactly_once(member_user, flaky_smtp):
    reminder = _remind(member_user)
    flaky_smtp.failures_left = 2
    for attempt in (1, 2):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.reminder_deliver(reminder_id=reminder.pk)
        reminder.refresh_from_db()
        assert reminder.status == ReminderLog.Status.PENDING
        assert reminder.sent_at is None and reminder.attempts == attempt
        assert "SMTPServerDisconnected" in reminder.last_error
        assert mail.outbox == []
    services.reminder_deliver(reminder_id=reminder.pk)
    services.reminder_deliver(reminder_id=reminder.pk)  # a duplicate task changes nothing
    reminder.refresh_from_db()
    assert reminder.status == ReminderLog.Status.SENT and reminder.attempts == 3
    assert reminder.last_error == ""
    assert len(mail.outbox) == 1


def test_delivery_task_retries_with_backoff_until_the_server_answers(member_user, flaky_smtp):
    reminder = _remind(member_user)
    flaky_smtp.failures_left = 3
    result = deliver_reminder.apply(args=[reminder.pk])
    assert result.successful() and result.get() == "sent"
    assert flaky_smtp.refused == 3
    reminder.refresh_from_db()
    assert reminder.status == ReminderLog.Status.SENT and reminder.attempts == 4
    assert len(mail.outbox) == 1
    opts = deliver_reminder
    assert opts.acks_late and opts.retry_backoff and opts.max_retries == 5
    assert smtplib.SMTPException in opts.autoretry_for and OSError in opts.autoretry_for


def test_reminder_is_failed_after_the_last_retry_and_sent_by_the_requeue_job(
    member_user, flaky_smtp, eager_celery, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from portal.jobs import run_job

    reminder = _remind(member_user)
    flaky_smtp.failures_left = 100
    result = deliver_reminder.apply(args=[reminder.pk])
    assert result.failed()
    reminder.refresh_from_db()
    assert reminder.status == ReminderLog.Status.FAILED and reminder.attempts == 6
    assert mail.outbox == []
    # The server is back; the hourly job queues it again and it goes out once.
    flaky_smtp.failures_left = 0
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_job("reminder_requeue", now=later)
    assert run.status == "ok" and run.done == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderLog.Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        again = run_job("reminder_requeue", now=later)
    assert again.done == 0
    assert len(mail.outbox) == 1


def test_preferences_turn_email_off_and_sms_on(
    member_user, eager_celery, django_capture_on_commit_callbacks
):
    member_user.phone = "13912345678"
    member_user.save()
    services.preference_set(user=member_user, actor=member_user, email=False, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = _remind(member_user, channels=("inbox", "email", "sms"))
    assert mail.outbox == []
    sms = SMSMessage.objects.get()
    assert sms.phone == "13912345678" and "请完成2027年度会员注册" in sms.text
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.sms_sent_at and not reminder.email_sent_at


def test_a_kind_preference_overrides_the_general_one(member_user):
    NotificationPreference.objects.create(user=member_user, kind="", email=False)
    NotificationPreference.objects.create(user=member_user, kind="test_reminder", email=True)
    assert selectors.preferences_for(member_user, "test_reminder").email is True
    assert selectors.preferences_for(member_user, "other").email is False
    assert _remind(member_user).channels == ["email"]
    assert _remind(member_user, kind="other").channels == []


def test_no_address_means_inbox_only_and_nothing_pending(member_user):
    member_user.email = ""
    member_user.save()
    reminder = _remind(member_user)
    assert reminder.channels == [] and reminder.status == "sent"
    assert Notification.objects.filter(recipient=member_user).count() == 1


def test_unknown_channel_is_refused(member_user):
    with pytest.raises(ValueError):
        _remind(member_user, channels=("inbox", "pigeon"))
    assert ReminderLog.objects.count() == 0


def test_unread_count_is_cached_and_refreshed_on_change(member_user, django_assert_num_queries):
    _remind(member_user)
    assert selectors.unread_count(member_user) == 1
    with django_assert_num_queries(0):
        assert selectors.unread_count(member_user) == 1
    _remind(member_user, period="2028")
    assert selectors.unread_count(member_user) == 2
    services.notifications_mark_all_read(actor=member_user)
    assert selectors.unread_count(member_user) == 0
