"""The yearly registration (MEM-07): the member confirms their record; staff see the
review list. Thin views: reads in members.registration_selectors, writes in
members.registration_services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import require_staff

from . import registration_selectors, registration_services
from .selectors import person_for_user

PAGE_SIZE = 50


@login_required
@require_POST
def registration_confirm(request, year):
    person = person_for_user(request.user)
    if person is None:
        raise Http404("No member record.")
    try:
        confirmed = registration_services.registration_confirm(
            person=person, year=year, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if confirmed:
            messages.success(
                request,
                _("Thank you: your annual registration for %(year)s is confirmed.")
                % {"year": year},
            )
        else:
            messages.info(
                request,
                _("Your annual registration for %(year)s was already confirmed.") % {"year": year},
            )
    return redirect("portal:member_centre")


@login_required
@require_GET
def registration_review(request):
    require_staff(request.user)
    page = Paginator(registration_selectors.review_list(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "members/registration/review_list.html", {"page": page})
