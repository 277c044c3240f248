"""Writes of the notifications app: reminders, inbox messages, delivery and preferences.

:func:`notify` is the one way to tell a person something. It inserts the reminder row first
(unique on recipient, kind, object and period); when the row already exists the reminder
was given before and nothing happens. E-mail and SMS go out later, from the Celery task
:func:`notifications.tasks.deliver_reminder`, queued when the transaction commits.
"""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors, sms
from .models import (
    EMAIL,
    EXTERNAL_CHANNELS,
    INBOX,
    SMS,
    Notification,
    NotificationPreference,
    ReminderLog,
)

logger = logging.getLogger(__name__)

#: Failures after which a delivery is retried (with backoff) instead of given up.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, sms.SMSError)
KNOWN_CHANNELS = {INBOX, EMAIL, SMS}
#: Reminders per delivery task queued by notify_bulk (one SMTP connection each).
DELIVERY_BATCH = 200
UNIQUE_CONSTRAINT = "reminder_once"


def _wanted_external(recipient, kind: str, channels: Iterable[str]) -> list[str]:
    """The external channels the recipient can and wants to receive for this kind."""
    requested = [c for c in EXTERNAL_CHANNELS if c in channels]
    if not requested:
        return []
    prefs = selectors.preferences_for(recipient, kind)
    wanted = []
    if EMAIL in requested and recipient.email and prefs.email:
        wanted.append(EMAIL)
    if SMS in requested and recipient.phone and prefs.sms:
        wanted.append(SMS)
    return wanted


def _is_duplicate(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == UNIQUE_CONSTRAINT


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str,
    url: str = "",
    obj_key: str,
    period: str,
    channels: Iterable[str] = (INBOX, EMAIL),
) -> ReminderLog | None:
    """Remind ``recipient`` once about ``obj_key`` for ``period``.

    Returns the new reminder, or None when the same reminder (same recipient, kind, object
    and period) was already given: then nothing is created and nothing is sent.
    """
    channels = tuple(channels)
    unknown = set(channels) - KNOWN_CHANNELS
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    external = _wanted_external(recipient, kind, channels)
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves no inbox message behind
            notification = None
            if INBOX in channels:
                notification = Notification.objects.create(
                    recipient=recipient, kind=kind, title=title, body=body, url=url, created=now
                )
            reminder = ReminderLog.objects.create(
                recipient=recipient,
                kind=kind,
                obj_key=obj_key,
                period=period,
                channels=external,
                title=title,
                body=body,
                url=url,
                notification=notification,
                created=now,
                status=ReminderLog.Status.PENDING if external else ReminderLog.Status.SENT,
                sent_at=None if external else now,
            )
    except IntegrityError as exc:
        if _is_duplicate(exc):
            return None
        raise
    if notification is not None:
        selectors.forget_unread_count(recipient.pk)
        transaction.on_commit(partial(selectors.forget_unread_count, recipient.pk))
    if external:
        from .tasks import deliver_reminder

        transaction.on_commit(partial(deliver_reminder.delay, reminder.pk))
    return reminder


@dataclass(frozen=True)
class BulkReminder:
    """One reminder of :func:`notify_bulk`: to whom, about what, and what it says."""

    recipient_id: int
    obj_key: str
    title: str
    body: str = ""
    url: str = ""


@dataclass
class BulkResult:
    created: int = 0
    existing: int = 0
    reminder_ids: list[int] = field(default_factory=list)


_BULK_INSERT = """
    INSERT INTO notifications_reminderlog
        (recipient_id, kind, obj_key, period, channels, title, body, url, status, created,
         sent_at, attempts, last_error)
    SELECT x.r, %s, x.o, %s, string_to_array(x.c, ','), x.t, x.b, x.u, x.s, %s,
           CASE WHEN x.s = 'sent' THEN %s::timestamptz END, 0, ''
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                %s::text[]) AS x(r, o, c, t, b, u, s)
    ON CONFLICT DO NOTHING
    RETURNING id, recipient_id, obj_key
"""
_LINK_NOTIFICATIONS = """
    UPDATE notifications_reminderlog AS l SET notification_id = v.n
    FROM unnest(%s::bigint[], %s::bigint[]) AS v(r, n) WHERE l.id = v.r
"""


def _external_for_many(recipient_ids, kind: str, channels) -> dict[int, list[str]]:
    """External channels per recipient (two queries for the whole batch)."""
    from django.contrib.auth import get_user_model

    requested = [c for c in EXTERNAL_CHANNELS if c in channels]
    if not requested:
        return dict.fromkeys(recipient_ids, [])
    prefs: dict[int, dict[str, NotificationPreference]] = {}
    for pref in NotificationPreference.objects.filter(
        user_id__in=recipient_ids, kind__in=["", kind]
    ):
        prefs.setdefault(pref.user_id, {})[pref.kind] = pref
    wanted = {}
    for pk, email, phone in (
        get_user_model().objects.filter(pk__in=recipient_ids).values_list("pk", "email", "phone")
    ):
        rows = prefs.get(pk, {})
        row = rows.get(kind) or rows.get("")
        want_email = row.email if row else selectors.Preferences.email
        want_sms = row.sms if row else selectors.Preferences.sms
        wanted[pk] = [
            c
            for c, ok in ((EMAIL, bool(email) and want_email), (SMS, bool(phone) and want_sms))
            if c in requested and ok
        ]
    return wanted


def notify_bulk(
    *,
    kind: str,
    period: str,
    reminders: Iterable[BulkReminder],
    channels: Iterable[str] = (INBOX, EMAIL),
    batch_size: int = 2000,
) -> BulkResult:
    """:func:`notify` for many recipients at once (a yearly job over every member).

    Same guarantees: one reminder per (recipient, kind, object, period), inserted before
    anything is sent (``INSERT … ON CONFLICT DO NOTHING``), inbox messages only for the
    reminders that are new, e-mail/SMS queued on commit in batches of 200 per task.
    A handful of queries per ``batch_size`` reminders.
    """
    channels = tuple(channels)
    unknown = set(channels) - KNOWN_CHANNELS
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    result = BulkResult()
    batch: list[BulkReminder] = []
    for item in reminders:
        batch.append(item)
        if len(batch) >= batch_size:
            _notify_batch(kind, period, batch, channels, result)
            batch = []
    if batch:
        _notify_batch(kind, period, batch, channels, result)
    return result


@transaction.atomic
def _notify_batch(kind, period, batch, channels, result: BulkResult) -> None:
    now = timezone.now()
    external = _external_for_many({item.recipient_id for item in batch}, kind, channels)
    columns = [[] for _ in range(7)]
    for item in batch:
        wanted = external.get(item.recipient_id)
        if wanted is None:  # no such user
            continue
        status = (ReminderLog.Status.PENDING if wanted else ReminderLog.Status.SENT).value
        values = (item.recipient_id, item.obj_key, ",".join(wanted), item.title, item.body)
        for column, value in zip(columns, (*values, item.url, status), strict=True):
            column.append(value)
    with connection.cursor() as cursor:
        cursor.execute(_BULK_INSERT, [kind, period, now, now, *columns])
        inserted = cursor.fetchall()
    result.created += len(inserted)
    result.existing += len(batch) - len(inserted)
    if not inserted:
        return
    by_key = {(item.recipient_id, item.obj_key): item for item in batch}
    if INBOX in channels:
        notes = Notification.objects.bulk_create(
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                title=by_key[(recipient_id, obj_key)].title,
                body=by_key[(recipient_id, obj_key)].body,
                url=by_key[(recipient_id, obj_key)].url,
                created=now,
            )
            for _, recipient_id, obj_key in inserted
        )
        with connection.cursor() as cursor:
            cursor.execute(
                _LINK_NOTIFICATIONS, [[row[0] for row in inserted], [n.pk for n in notes]]
            )
        recipients = {row[1] for row in inserted}
        selectors.forget_unread_count(*recipients)
        transaction.on_commit(partial(selectors.forget_unread_count, *recipients))
    to_deliver = [pk for pk, recipient_id, _ in inserted if external[recipient_id]]
    result.reminder_ids.extend(pk for pk, _, _ in inserted)
    if to_deliver:
        from .tasks import deliver_reminder_batch

        for start in range(0, len(to_deliver), DELIVERY_BATCH):
            chunk = to_deliver[start : start + DELIVERY_BATCH]
            transaction.on_commit(partial(deliver_reminder_batch.delay, chunk))


# Delivery (called by the Celery task) --------------------------------------------------


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def render_email(reminder: ReminderLog) -> tuple[str, str]:
    """Subject and body of the e-mail, in the site's language (Chinese)."""
    context = {
        "reminder": reminder,
        "recipient": reminder.recipient,
        "title": reminder.title,
        "body": reminder.body,
        "link": _absolute(reminder.url),
        "inbox_link": _absolute("/notifications/"),
        "FEDERATION_NAME": settings.FEDERATION_NAME,
        "FEDERATION_SHORT_NAME": settings.FEDERATION_SHORT_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        try:
            text = render_to_string(f"notifications/email/{reminder.kind}.txt", context)
        except TemplateDoesNotExist:
            text = render_to_string("notifications/email/generic.txt", context)
    subject = f"【{settings.FEDERATION_SHORT_NAME}】{reminder.title}"
    return subject, text


def render_sms(reminder: ReminderLog) -> str:
    link = _absolute(reminder.url)
    return f"【{settings.FEDERATION_SHORT_NAME}】{reminder.title}" + (f" {link}" if link else "")


def _send_channel(reminder: ReminderLog, channel: str, mail_connection=None) -> bool:
    """Send one channel; False when the recipient has no address for it any more."""
    user = reminder.recipient
    if channel == EMAIL:
        if not user.email:
            return False
        subject, text = render_email(reminder)
        EmailMessage(subject, text, to=[user.email], connection=mail_connection).send()
        return True
    if not user.phone:
        return False
    sms.get_backend().send(phone=user.phone, text=render_sms(reminder), reminder=reminder)
    return True


def _deliver_channel(reminder_id: int, channel: str, mail_connection=None) -> None:
    """Deliver one channel with the row locked, so two workers never both send it."""
    with transaction.atomic():
        reminder = (
            ReminderLog.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None or channel not in reminder.channels:
            return
        field = f"{channel}_sent_at"
        if getattr(reminder, field) is not None:
            return
        if _send_channel(reminder, channel, mail_connection):
            setattr(reminder, field, timezone.now())
            reminder.save(update_fields=[field])
        else:
            reminder.channels = [c for c in reminder.channels if c != channel]
            reminder.save(update_fields=["channels"])


def reminder_deliver(
    *, reminder_id: int, final_attempt: bool = False, mail_connection=None
) -> ReminderLog | None:
    """Send the pending e-mail/SMS of one reminder. Idempotent: a sent channel is skipped.

    On a transient failure the reminder stays pending (failed after the last attempt), the
    error is recorded and re-raised so the task retries with backoff.
    """
    try:
        for channel in EXTERNAL_CHANNELS:
            _deliver_channel(reminder_id, channel, mail_connection)
    except DELIVERY_ERRORS as exc:
        status = ReminderLog.Status.FAILED if final_attempt else ReminderLog.Status.PENDING
        ReminderLog.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
            status=status,
        )
        logger.warning("Reminder %s not delivered yet: %r", reminder_id, exc)
        raise
    with transaction.atomic():
        reminder = ReminderLog.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.sent_at is not None:
            return reminder
        reminder.status = ReminderLog.Status.SENT
        reminder.sent_at = timezone.now()
        reminder.attempts += 1
        reminder.last_error = ""
        reminder.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return reminder


def reminders_deliver_batch(*, reminder_ids: list[int], final_attempt: bool = False) -> int:
    """Deliver many reminders over one mail connection; returns how many are sent now.

    Idempotent like :func:`reminder_deliver`: on a transient failure the error is raised
    and the task retries the batch, skipping what already went out.
    """
    from django.core.mail import get_connection

    sent = 0
    with get_connection() as mail_connection:
        for pk in reminder_ids:
            reminder = reminder_deliver(
                reminder_id=pk, final_attempt=final_attempt, mail_connection=mail_connection
            )
            sent += bool(reminder is not None and reminder.status == ReminderLog.Status.SENT)
    return sent


def reminders_requeue(*, now, stale_after, give_up_after, dry_run: bool = False) -> int:
    """Queue the delivery again for reminders not delivered ``stale_after`` after creation.

    Covers a lost task (worker killed before it acknowledged, broker flushed) and a mail
    server that stayed down through every retry (status failed): the delivery itself is
    idempotent and locks the row, so a reminder whose task is still alive is not sent twice.
    Reminders older than ``give_up_after`` are left as they are, for staff to look at.
    """
    ids = list(
        ReminderLog.objects.filter(
            status__in=[ReminderLog.Status.PENDING, ReminderLog.Status.FAILED],
            sent_at__isnull=True,
            created__lt=now - stale_after,
            created__gte=now - give_up_after,
        )
        .order_by("created")
        .values_list("pk", flat=True)[:5000]
    )
    if not dry_run and ids:
        from .tasks import deliver_reminder

        for pk in ids:
            transaction.on_commit(partial(deliver_reminder.delay, pk))
    return len(ids)


# Inbox -----------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> bool:
    """Mark one of the actor's own messages read; False when it already was."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Only the recipient may mark a message read.")
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    selectors.forget_unread_count(actor.pk)
    return bool(changed)


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    selectors.forget_unread_count(actor.pk)
    return changed


@transaction.atomic
def preference_set(*, user, actor, email: bool, sms: bool, kind: str = "") -> None:
    """Set whether ``user`` gets e-mail and SMS (for every kind, or for one kind)."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied("Only the user (or an administrator) may change preferences.")
    with set_actor(actor):
        pref, created = NotificationPreference.objects.get_or_create(
            user=user, kind=kind, defaults={"email": email, "sms": sms}
        )
        if not created and (pref.email, pref.sms) != (email, sms):
            pref.email, pref.sms = email, sms
            pref.save(update_fields=["email", "sms"])
