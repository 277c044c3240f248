"""Writes for accounts and roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles

# Federation staff keep records in the admin: every model permission of these apps.
STAFF_APPS = [
    "accounts",
    "associations",
    "members",
    "awards",
    "training",
    "volunteering",
    "notifications",
    "auditlog",
]


def grant_staff_model_permissions(**kwargs) -> int:
    """Give the 文联工作人员 group the model permissions of the record apps (idempotent)."""
    group = Group.objects.filter(name=roles.STAFF).first()
    if group is None:
        return 0
    perms = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    group.permissions.add(*perms)
    return perms.count()


@transaction.atomic
def user_set_roles(*, user, groups: list[str]) -> None:
    user.groups.add(*Group.objects.filter(name__in=groups))
    user.__dict__.pop("_group_names_cache", None)
