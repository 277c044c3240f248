"""Identity change requests (MEM-05) and discipline and exit (MEM-06).

Thin views: scope comes from members.selectors (objects outside it answer 404, staff-only
pages answer 403 to other signed-in users as the staff dashboard does), writes go through
members.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_visible_or_404, require_staff
from portal.uploads import private_file_response

from . import selectors, services
from .forms_records import ChangeDecisionForm, DisciplineForm, IdentityChangeForm, WithdrawForm
from .models import Membership

PAGE_SIZE = 25


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (by field where it names one)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _no_record(request):
    return render(request, "members/profile/no_record.html", status=404)


_file_response = private_file_response


# --------------------------------------------------------------------------- #
# the member's own pages
# --------------------------------------------------------------------------- #
@login_required
@require_GET
def my_changes(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    requests = list(selectors.change_requests_of(person=person))
    return render(
        request,
        "members/records/my_changes.html",
        {
            "person": person,
            "change_requests": requests,
            "has_pending": any(r.status == r.Status.PENDING for r in requests),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_new(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    pending = selectors.change_requests_of(person=person).filter(status="pending").first()
    form = IdentityChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and pending is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_request_file(
                person=person,
                actor=request.user,
                reason=data["reason"],
                new_name=data["new_name"],
                new_gender=data["new_gender"],
                new_birth_date=data["new_birth_date"],
                new_ethnic_group=data["new_ethnic_group"],
                new_id_number=data["new_id_number"],
                evidence=data.get("evidence"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent to the federation office. You will be told "
                    "of the decision."
                ),
            )
            return redirect("me:changes")
    return render(
        request,
        "members/records/change_form.html",
        {"form": form, "person": person, "pending": pending},
    )


@login_required
@require_GET
def change_evidence(request, pk: int):
    change = get_object_or_404(
        selectors.change_request_evidence_queryset(viewer=request.user), pk=pk
    )
    return _file_response(change.evidence)


@login_required
@require_GET
def my_records(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    return render(
        request,
        "members/records/my_records.html",
        {
            "person": person,
            "memberships": list(selectors.memberships_of(person)),
            "decisions": list(selectors.discipline_of_person(person=person)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, membership_id: int):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    membership = get_object_or_404(
        Membership.objects.select_related("association", "person"),
        pk=membership_id,
        person=person,
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_withdraw(
                membership=membership, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("You have left %(association)s. The decision is kept in your records.")
                % {"association": membership.association.name},
            )
            return redirect("me:records")
    return render(
        request,
        "members/records/withdraw.html",
        {"form": form, "membership": membership, "can_withdraw": membership.is_active},
    )


# --------------------------------------------------------------------------- #
# staff review of change requests
# --------------------------------------------------------------------------- #
@login_required
@require_GET
def change_list(request):
    require_staff(request.user)
    paginator = Paginator(selectors.change_requests_pending(viewer=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "members/records/change_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def change_detail(request, pk: int):
    require_staff(request.user)
    change = get_object_or_404(selectors.change_request_queryset(viewer=request.user), pk=pk)
    form = ChangeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_decide(
                change_request=change,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded and the member told."))
            return redirect("members:change_list")
    return render(
        request,
        "members/records/change_detail.html",
        {"change": change, "person": change.person, "form": form},
    )


# --------------------------------------------------------------------------- #
# discipline decisions (staff and the association's secretary)
# --------------------------------------------------------------------------- #
@login_required
@require_http_methods(["GET", "POST"])
def discipline_new(request, membership_id: int):
    membership = get_visible_or_404(
        selectors.membership_policy,
        request.user,
        Membership.objects.select_related("person", "association"),
        pk=membership_id,
    )
    if not selectors.can_record_discipline(request.user, membership):
        raise Http404
    # ?kind=lapse from the annual-registration review list preselects the decision.
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else None
    form = DisciplineForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.discipline_record(
                membership=membership,
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                decider=data["decider"],
                council_resolution=data["council_resolution"],
                attachment=data.get("attachment"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded and the member told."))
            return redirect("members:member_detail", membership.pk)
    return render(
        request,
        "members/records/discipline_form.html",
        {
            "form": form,
            "membership": membership,
            "history": list(selectors.discipline_history(membership=membership)),
        },
    )


@login_required
@require_GET
def discipline_attachment(request, pk: int):
    decision = get_object_or_404(
        selectors.discipline_attachment_queryset(viewer=request.user), pk=pk
    )
    return _file_response(decision.attachment)
