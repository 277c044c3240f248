from django.utils.functional import SimpleLazyObject

from . import selectors


def inbox(request):
    """``inbox_unread`` for the header: cached, computed only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: selectors.unread_count(user))}
