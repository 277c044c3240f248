"""Thin Celery tasks of the notifications app: they take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    name="notifications.tasks.deliver_reminder",
    acks_late=True,
    autoretry_for=services.DELIVERY_ERRORS,
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def deliver_reminder(self, reminder_id: int) -> str:
    """Send the e-mail/SMS of one reminder; retried with backoff while the server is down."""
    reminder = services.reminder_deliver(
        reminder_id=reminder_id, final_attempt=self.request.retries >= self.max_retries
    )
    return reminder.status if reminder is not None else "gone"


@shared_task(
    bind=True,
    name="notifications.tasks.deliver_reminder_batch",
    acks_late=True,
    autoretry_for=services.DELIVERY_ERRORS,
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def deliver_reminder_batch(self, reminder_ids: list[int]) -> int:
    """Send the e-mail/SMS of many reminders over one mail connection (bulk jobs)."""
    return services.reminders_deliver_batch(
        reminder_ids=reminder_ids, final_attempt=self.request.retries >= self.max_retries
    )
