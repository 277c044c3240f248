"""Global roles are Groups (created by a data migration). Scope comes from object
permissions on associations (see associations.permissions)."""

from django.utils.translation import gettext_lazy as _

STAFF = "文联工作人员"
SECRETARY = "协会秘书长"
MEMBER = "会员"
JUDGE = "评委"
LIAISON = "联络员"

ALL_GROUPS = [STAFF, SECRETARY, MEMBER, JUDGE, LIAISON]

ROLE_LABELS = {
    STAFF: _("Federation staff"),
    SECRETARY: _("Association secretary"),
    MEMBER: _("Member"),
    JUDGE: _("Judge"),
    LIAISON: _("Liaison"),
}


def group_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_group_names_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = cached
    return cached


def is_federation_staff(user) -> bool:
    """Federation staff see every association. Superusers count as staff."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or STAFF in group_names(user))
    )


def is_secretary(user) -> bool:
    return bool(user.is_authenticated and SECRETARY in group_names(user))
