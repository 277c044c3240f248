"""A mail-server double for tests: refuses the first ``failures_left`` sends, then accepts.

Accepted messages land in ``django.core.mail.outbox`` like the locmem backend's.
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakySMTPBackend(EmailBackend):
    failures_left = 0
    refused = 0

    def send_messages(self, messages):
        cls = type(self)
        if cls.failures_left > 0:
            cls.failures_left -= 1
            cls.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test double)")
        return super().send_messages(messages)


BACKEND = f"{__name__}.FlakySMTPBackend"
