"""Reads about accounts and roles."""

from django.contrib.auth import get_user_model

from . import roles


def staff_users():
    """Active federation staff (group 文联工作人员), the recipients of staff reminders."""
    return (
        get_user_model()
        .objects.filter(groups__name=roles.STAFF, is_active=True)
        .distinct()
        .order_by("id")
    )
