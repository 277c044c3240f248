from django.conf import settings

from accounts import roles


def site(request):
    user = getattr(request, "user", None)
    is_staff = bool(user and roles.is_federation_staff(user))
    is_secretary = bool(user and roles.is_secretary(user))
    return {
        "FEDERATION_NAME": settings.FEDERATION_NAME,
        "FEDERATION_SHORT_NAME": settings.FEDERATION_SHORT_NAME,
        "nav_is_staff": is_staff,
        "nav_is_secretary": is_secretary,
    }
