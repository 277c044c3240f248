"""Shared pieces of the permission-policy pattern (DESIGN.md).

Each app has one policy in its own ``permissions.py`` exposing ``visible_to(user, qs)`` and
``can(user, action, obj)``. Views fetch objects through :func:`get_visible_or_404` so an
object outside the viewer's scope answers 404 and never confirms that it exists.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(policy, user, queryset, **lookup):
    return get_object_or_404(policy.visible_to(user, queryset), **lookup)


def require(policy, user, action, obj=None):
    """Raise PermissionDenied unless ``policy.can(user, action, obj)``.

    Use only after the object was fetched with :func:`get_visible_or_404`, so that a 403
    can never reveal an object the user may not see.
    """
    if not policy.can(user, action, obj):
        raise PermissionDenied


def require_staff(user) -> None:
    """Staff-only pages: any other signed-in user gets 403 (the page is not theirs, and it
    reveals no object); anonymous users are sent to log in by ``login_required`` first."""
    from .roles import is_federation_staff

    if not is_federation_staff(user):
        raise PermissionDenied
