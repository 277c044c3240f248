"""Writes for associations. Every write is keyword-only, atomic and audited."""

from auditlog.context import set_actor
from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts import roles

from .models import Association
from .permissions import MANAGE


@transaction.atomic
def secretary_assign(*, user, association: Association, actor) -> None:
    """Give ``user`` the secretary scope on ``association`` (object permission)."""
    with set_actor(actor):
        user.groups.add(Group.objects.get(name=roles.SECRETARY))
        assign_perm(MANAGE, user, association)
    user.__dict__.pop("_managed_association_ids", None)


@transaction.atomic
def secretary_revoke(*, user, association: Association, actor) -> None:
    with set_actor(actor):
        remove_perm(MANAGE, user, association)
    user.__dict__.pop("_managed_association_ids", None)
