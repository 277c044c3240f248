"""Site-wide writes: housekeeping run by Celery beat (and by hand)."""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class HousekeepingResult:
    sessions_deleted: int
    lockouts_cleared: int


@transaction.atomic
def housekeeping_run(*, now=None) -> HousekeepingResult:
    """Delete expired sessions and login-failure records whose cool-off has passed.

    Idempotent: a second run finds nothing more to delete.
    """
    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.AXES_COOLOFF_TIME
    ).delete()
    return HousekeepingResult(sessions_deleted=sessions, lockouts_cleared=attempts)
