"""SMS backends. No vendor is wired in: the default backend logs each message and records
it in :class:`notifications.models.SMSMessage`. A vendor backend subclasses
:class:`BaseSMSBackend`, implements ``send`` and raises :class:`SMSError` on a failure that
may be retried; ``settings.SMS_BACKEND`` names the class to use.
"""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "notifications.sms.LoggingSMSBackend"


class SMSError(Exception):
    """A text message could not be handed over; the delivery task retries it."""


class BaseSMSBackend(ABC):
    @abstractmethod
    def send(self, *, phone: str, text: str, reminder=None) -> None:
        """Hand one message to the carrier; raise SMSError when it may be retried."""


class LoggingSMSBackend(BaseSMSBackend):
    """Writes the message to the log and to the SMSMessage table; sends nothing."""

    def send(self, *, phone: str, text: str, reminder=None) -> None:
        from .models import SMSMessage

        # The log gets a masked number and the length only; the table keeps the message.
        logger.info("SMS to %s (%d characters)", f"{phone[:3]}****{phone[-4:]}", len(text))
        SMSMessage.objects.create(
            phone=phone, text=text, backend=DEFAULT_BACKEND, reminder=reminder
        )


def get_backend() -> BaseSMSBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
