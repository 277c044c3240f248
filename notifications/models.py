"""The in-site inbox, the reminder log and per-user delivery preferences (X-04).

A reminder is one row of :class:`ReminderLog`, unique on (recipient, kind, object, period)
and inserted *before* anything is sent: a job that runs twice finds the row and sends
nothing the second time. E-mail and SMS go out from a Celery task that locks the row and
marks each channel as sent, so a retry never sends a channel twice.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

INBOX = "inbox"
EMAIL = "email"
SMS = "sms"
CHANNEL_CHOICES = [(INBOX, _("In-site inbox")), (EMAIL, _("E-mail")), (SMS, _("SMS"))]
EXTERNAL_CHANNELS = (EMAIL, SMS)


class Notification(models.Model):
    """One message in a user's in-site inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(pgettext_lazy("message", "title"), max_length=200)
    body = models.TextField(pgettext_lazy("message", "body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created", "-id"], name="notif_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def safe_url(self) -> str:
        """The link, only when it is a path on this site or an http(s) address."""
        url = self.url or ""
        if url.startswith("/") and not url.startswith("//"):
            return url
        if url.startswith(("https://", "http://")):
            return url
        return ""


class ReminderLog(models.Model):
    """One reminder to one person about one thing for one period, sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=50)
    obj_key = models.CharField(
        _("object"), max_length=100, help_text=_('For example "members.membership:42".')
    )
    period = models.CharField(
        _("period"), max_length=20, help_text=_('For example "2027" or "2027-01-31".')
    )
    channels = ArrayField(
        models.CharField(max_length=10, choices=CHANNEL_CHOICES),
        verbose_name=_("channels"),
        default=list,
        help_text=_("External channels still to deliver (e-mail, SMS)."),
    )
    title = models.CharField(pgettext_lazy("message", "title"), max_length=200)
    body = models.TextField(pgettext_lazy("message", "body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("inbox message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder log")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "obj_key", "period"], name="reminder_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created"],
                condition=Q(status="pending"),
                name="reminder_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.obj_key} {self.period} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """Whether a user wants e-mail and SMS; a row with a kind overrides the general row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(
        _("kind"),
        max_length=50,
        blank=True,
        help_text=_("Leave empty for the general setting that applies to every kind."),
    )
    email = models.BooleanField(_("send e-mail"), default=True)
    sms = models.BooleanField(_("send SMS"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind or '*'}"


class SMSMessage(models.Model):
    """A text message handed to the SMS backend (the logging backend records it here)."""

    phone = models.CharField(_("mobile number"), max_length=20)
    text = models.TextField(_("text"))
    backend = models.CharField(_("backend"), max_length=100)
    reminder = models.ForeignKey(
        ReminderLog,
        verbose_name=_("reminder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")

    def __str__(self):
        return f"{self.phone}: {self.text[:30]}"


auditlog.register(NotificationPreference)
