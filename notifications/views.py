"""The inbox pages: each user sees and changes only their own messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import get_visible_or_404

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification
from .permissions import policy

PAGE_SIZE = 20


def _back(request, fallback="notifications:inbox"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_for(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_visible_or_404(policy, request.user, Notification.objects.all(), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return _back(request)


@login_required
def preferences(request):
    current = selectors.general_preference(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(
                user=request.user,
                actor=request.user,
                email=form.cleaned_data["email"],
                sms=form.cleaned_data["sms"],
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={"email": current.email, "sms": current.sms})
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "has_email": bool(request.user.email),
            "has_phone": bool(request.user.phone),
        },
    )
