"""Reads of the notifications app, scoped to the viewer (each user sees only their own)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Notification, NotificationPreference

UNREAD_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Preferences:
    email: bool = True
    sms: bool = False


def preferences_for(user, kind: str = "") -> Preferences:
    """The user's delivery wishes for ``kind``: the kind's row, else the general row."""
    rows = {
        row.kind: row
        for row in NotificationPreference.objects.filter(user=user, kind__in={"", kind})
    }
    row = rows.get(kind) or rows.get("")
    if row is None:
        return Preferences()
    return Preferences(email=row.email, sms=row.sms)


def general_preference(user) -> Preferences:
    return preferences_for(user, "")


def inbox_for(*, viewer):
    """The viewer's own messages, unread first, then newest first."""
    return (
        Notification.objects.filter(recipient=viewer)
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created", "-id")
    )


def _unread_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """Unread messages of ``user``: from the cache, else one indexed COUNT."""
    if not user.is_authenticated:
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_count(*user_ids) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])
