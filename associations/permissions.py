"""Scope policy for associations: staff see all, a secretary sees the associations on which
they hold ``associations.manage_association`` (object permission, never a global grant)."""

from guardian.shortcuts import get_objects_for_user

from accounts.roles import is_federation_staff

from .models import Association

MANAGE = "associations.manage_association"


def managed_association_ids(user) -> list[int]:
    """Ids of the associations the user manages through an object permission."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_managed_association_ids", None)
    if cached is None:
        qs = get_objects_for_user(
            user,
            MANAGE,
            klass=Association,
            accept_global_perms=False,
            with_superuser=False,
        )
        cached = sorted(qs.values_list("id", flat=True))
        user._managed_association_ids = cached
    return cached


class AssociationPolicy:
    @staticmethod
    def visible_to(user, queryset=None):
        queryset = Association.objects.all() if queryset is None else queryset
        if is_federation_staff(user):
            return queryset
        return queryset.filter(id__in=managed_association_ids(user))

    @staticmethod
    def can(user, action, obj=None):
        if is_federation_staff(user):
            return True
        if action in {"view", "manage"} and obj is not None:
            return obj.id in managed_association_ids(user)
        return False


policy = AssociationPolicy()
