from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from accounts import roles
from accounts.permissions import get_visible_or_404, require_staff
from associations.models import Association
from associations.permissions import managed_association_ids
from associations.permissions import policy as association_policy
from members import selectors as member_selectors


def home(request):
    associations = Association.objects.filter(status=Association.Status.ACTIVE).select_related(
        "art_category"
    )
    return render(request, "portal/home.html", {"associations": associations})


@login_required
def landing(request):
    """After login each role lands on its own page."""
    user = request.user
    if roles.is_federation_staff(user):
        return redirect("portal:staff_dashboard")
    if managed_association_ids(user):
        return redirect("portal:secretary_home")
    return redirect("portal:member_centre")


@login_required
def staff_dashboard(request):
    require_staff(request.user)
    overview = list(member_selectors.association_overview(viewer=request.user))
    total = sum(a.active_members for a in overview)
    return render(
        request,
        "portal/staff_dashboard.html",
        {
            "overview": overview,
            "total_members": total,
            "review_panel": member_selectors.review_panel(viewer=request.user),
            "change_requests_pending": member_selectors.change_requests_pending_count(
                viewer=request.user
            ),
        },
    )


@login_required
def secretary_home(request):
    ids = managed_association_ids(request.user)
    if not ids:
        raise PermissionDenied
    association = Association.objects.get(id=ids[0])
    return redirect("portal:secretary_dashboard", code=association.code)


@login_required
def secretary_dashboard(request, code):
    association = get_visible_or_404(
        association_policy, request.user, Association.objects.all(), code=code
    )
    overview = member_selectors.association_overview(viewer=request.user).get(id=association.id)
    managed = Association.objects.filter(id__in=managed_association_ids(request.user))
    return render(
        request,
        "portal/secretary_dashboard.html",
        {
            "association": overview,
            "recent_members": member_selectors.recent_members(association=association),
            "managed_associations": managed,
            "review_panel": member_selectors.review_panel(
                viewer=request.user, association=association
            ),
        },
    )


@login_required
def member_centre(request):
    person = member_selectors.person_for_user(request.user)
    memberships = member_selectors.memberships_of(person) if person else []
    return render(
        request,
        "portal/member_centre.html",
        {
            "person": person,
            "memberships": memberships,
            "apply_panel": member_selectors.apply_panel(user=request.user),
        },
    )


@never_cache
def healthz(request):
    """Database, Redis and worker status as JSON; 503 when any is down. The worker ping
    (up to 1 s) is remembered for 10 s so frequent probes cannot tie up web workers."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = f"error: {exc.__class__.__name__}"
    try:
        from django.core.cache import cache

        from anlong_wenlian.celery import app

        worker = cache.get("healthz:worker") if status["redis"] == "ok" else None
        if worker is None and status["redis"] == "ok":
            replies = app.control.ping(timeout=1.0)
            worker = "ok" if replies else "no worker answered"
            cache.set("healthz:worker", worker, 10)
        status["worker"] = worker or "no worker answered"
    except Exception as exc:  # noqa: BLE001
        status["worker"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in status.values())
    status["status"] = "ok" if healthy else "degraded"
    return JsonResponse(status, status=200 if healthy else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def error_500(request):
    return render(request, "500.html", status=500)
