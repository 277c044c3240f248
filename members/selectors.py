"""Reads of member data, already scoped to the viewer."""

from django.db.models import Count, Q

from associations.models import Association
from associations.permissions import policy as association_policy

from .models import Membership, Person


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("ethnic_group", "town", "political_status", "education")
        .filter(user=user)
        .first()
    )


def memberships_of(person: Person):
    return person.memberships.select_related("association").order_by("association__sort_order")


def association_overview(*, viewer):
    """Associations visible to the viewer, each with its active member count (one query)."""
    return (
        association_policy.visible_to(viewer, Association.objects.all())
        .annotate(active_members=Count("memberships", filter=Q(memberships__status="active")))
        .select_related("art_category")
    )


def recent_members(*, association: Association, limit: int = 10):
    return (
        Membership.objects.filter(association=association)
        .select_related("person", "person__town", "person__ethnic_group")
        .order_by("-joined_on", "-id")[:limit]
    )
