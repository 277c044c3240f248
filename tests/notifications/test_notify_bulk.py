"""notify_bulk(): the yearly-job path — same once-only guarantee, few queries, batched mail."""

import pytest
from django.core import mail

from accounts.models import User
from notifications import services
from notifications.models import Notification, NotificationPreference, ReminderLog
from notifications.services import BulkReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    from anlong_wenlian.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _users(prefix, n):
    """Plain accounts in one INSERT (the factory hashes a password per user: too slow)."""
    return User.objects.bulk_create(
        User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.cn", full_name=f"会员{i}")
        for i in range(n)
    )


def _items(users, period_note=""):
    return [
        BulkReminder(
            recipient_id=user.pk,
            obj_key=f"members.membership:{user.pk}",
            title=f"请完成年度注册{period_note}",
            body="截止3月31日",
            url="/me/",
        )
        for user in users
    ]


def test_bulk_gives_each_reminder_once_and_batches_the_mail(
    eager_celery, django_capture_on_commit_callbacks
):
    users = _users("bulk", 30)
    users[0].email = ""
    users[0].save()
    NotificationPreference.objects.create(user=users[1], email=False)
    already = services.notify(
        recipient=users[2],
        kind="annual_test",
        title="早先的提醒",
        body="",
        obj_key=f"members.membership:{users[2].pk}",
        period="2027",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.notify_bulk(
            kind="annual_test", period="2027", reminders=_items(users), batch_size=7
        )
    assert (result.created, result.existing) == (29, 1)
    assert ReminderLog.objects.filter(kind="annual_test").count() == 30
    assert Notification.objects.filter(kind="annual_test").count() == 30
    # 27 e-mails (no address, e-mail off, and the earlier reminder are not mailed again).
    assert len(mail.outbox) == 27
    assert {m.to[0] for m in mail.outbox}.isdisjoint(
        {users[0].email, users[1].email, users[2].email}
    )
    deliveries = [c for c in callbacks if "deliver_reminder_batch" in repr(c)]
    assert 1 <= len(deliveries) <= 5  # one task per batch, not one per reminder
    note = Notification.objects.get(recipient=users[5], kind="annual_test")
    reminder = ReminderLog.objects.get(recipient=users[5], kind="annual_test")
    assert reminder.notification_id == note.pk and reminder.status == "sent"
    assert note.title == "请完成年度注册" and note.url == "/me/"
    assert ReminderLog.objects.get(pk=already.pk).title == "早先的提醒"
    # The job runs again: nothing new, nothing sent.
    with django_capture_on_commit_callbacks(execute=True) as again_callbacks:
        again = services.notify_bulk(
            kind="annual_test", period="2027", reminders=_items(users, "（重复）")
        )
    assert (again.created, again.existing) == (0, 30)
    assert len(mail.outbox) == 27 and again_callbacks == []
    assert Notification.objects.filter(kind="annual_test").count() == 30


def test_bulk_query_count_does_not_grow_with_recipients(django_assert_max_num_queries):
    users = _users("bulkq", 120)
    with django_assert_max_num_queries(8 * 3):
        result = services.notify_bulk(
            kind="annual_q", period="2027", reminders=_items(users), batch_size=50
        )
    assert result.created == 120
    assert set(ReminderLog.objects.filter(kind="annual_q").values_list("status", flat=True)) == {
        "pending"
    }
    assert ReminderLog.objects.filter(kind="annual_q", notification__isnull=True).count() == 0
