"""Online application (MEM-01), referees, two-stage review (MEM-02) and public notice.

Thin views: forms validate input, members.services writes, members.selectors reads, and
members.permissions decides scope (anything outside it answers 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import get_visible_or_404
from accounts.roles import is_federation_staff
from portal.uploads import private_file_response

from . import selectors, services
from .forms_apply import (
    ApplicationForm,
    DecisionForm,
    ObjectionForm,
    ObjectionOutcomeForm,
    RefereeResponseForm,
    RegisterForm,
)
from .idcard import mask_name
from .models import Application, ApplicationObjection, ApplicationReferee
from .permissions import application_policy, referee_policy

LOGIN_BACKEND = "accounts.backends.UsernameOrPhoneBackend"
# Marked with an asterisk in the form: needed when the applicant submits.
SUBMIT_REQUIRED = frozenset(
    {*services.APPLICATION_REQUIRED_ON_SUBMIT, "photo", "art_categories", "work_file_1"}
)


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _consent_context():
    return {"consent_version": services.privacy_consent_version()}


# --------------------------------------------------------------------------- #
# registration and the applicant's pages
# --------------------------------------------------------------------------- #
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    """An applicant account with a mobile number, and the separate consent (PIPL)."""
    if request.user.is_authenticated:
        return redirect("members:apply_mine")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.applicant_register(
                phone=data["phone"],
                name=data["name"],
                password=data["password1"],
                email=data["email"],
                consent_given=data["consent"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _(
                    "Your account has been created. From now on, log in with your mobile "
                    "number. Now fill in your application."
                ),
            )
            return redirect("members:apply_new")
    return render(request, "members/apply/register.html", {"form": form, **_consent_context()})


@login_required
def my_applications(request):
    applications = selectors.applications_of_applicant(user=request.user)
    return render(request, "members/apply/mine.html", {"applications": applications})


def _editable_application(request, pk):
    application = get_visible_or_404(
        application_policy, request.user, Application.objects.all(), pk=pk
    )
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk=None):
    """The application form: "save draft" keeps everything, "submit" checks it all."""
    application = _editable_application(request, pk) if pk else None
    if application is not None and not application.is_editable:
        messages.info(request, _("This application can no longer be changed."))
        return redirect("members:apply_detail", pk=application.pk)
    need_consent = services.privacy_consent_current(request.user) is None
    initial = {}
    stored_id_number = ""
    if application is None:
        person = selectors.person_for_user(request.user)
        code = request.GET.get("association", "")
        initial = {"name": request.user.get_full_name(), "phone": request.user.phone or ""}
        initial["email"] = request.user.email
        if person is not None:
            for field in services.APPLICATION_PROFILE_FIELDS:
                initial[field] = getattr(person, field)
            stored_id_number = person.id_number or ""
            initial["art_categories"] = list(person.art_categories.all())
        if code:
            from associations.models import Association

            initial["association"] = Association.objects.filter(code=code).first()
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        instance=application,
        initial=initial,
        need_consent=need_consent,
        stored_id_number=stored_id_number,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            application = services.application_save_draft(
                applicant=request.user,
                actor=request.user,
                application=application,
                data=form.profile_data(),
                photo=form.cleaned_data.get("photo"),
                new_works=form.new_works(),
                remove_work_ids=[w.pk for w in form.cleaned_data.get("remove_works") or []],
                consent_given=bool(form.cleaned_data.get("consent")),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if not submit:
                messages.success(
                    request,
                    _("The draft has been saved. You can come back and finish it later."),
                )
                return redirect("members:apply_edit", pk=application.pk)
            try:
                services.application_submit(application=application, actor=request.user)
            except ValidationError as exc:
                messages.error(
                    request,
                    _(
                        "The draft has been saved, but the application could not be submitted "
                        "yet. Please correct the fields marked below."
                    ),
                )
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your application has been submitted."))
                return redirect("members:apply_detail", pk=application.pk)
    context = {
        "form": form,
        "application": application,
        "submit_required": SUBMIT_REQUIRED,
        **_consent_context(),
    }
    if application is not None:
        context["works"] = list(application.works.all())
        if application.status == Application.Status.RETURNED:
            context["return_step"] = (
                application.steps.select_related("actor").order_by("-created_at", "-id").first()
            )
    return render(request, "members/apply/form.html", context)


@never_cache
@login_required
def application_detail(request, pk):
    """The application with its timeline; reviewers also get their decision form."""
    application = get_visible_or_404(
        application_policy,
        request.user,
        selectors.application_detail_queryset(viewer=request.user),
        pk=pk,
    )
    user = request.user
    data = selectors.application_page_data(application=application)
    context = {
        "application": application,
        **data,
        "is_applicant": application.applicant_id == user.pk,
        "can_edit": application_policy.can(user, "edit", application),
        "can_review": application_policy.can(user, "review", application),
        "can_see_objections": application_policy.can(user, "view_objections", application),
        "can_resolve": application_policy.can(user, "resolve_objection", application),
        "today": timezone.localdate(),
    }
    if context["can_review"]:
        context["decision_form"] = _decision_form(application)
    if context["can_resolve"]:
        for objection in data["objections"]:
            objection.outcome_form = ObjectionOutcomeForm(auto_id=f"id_o{objection.pk}_%s")
    if context["is_applicant"]:
        services.application_notices_mark_read(user=user, application=application)
    return render(request, "members/apply/detail.html", context)


def _decision_form(application, data=None):
    in_notice = application.status == Application.Status.PUBLIC_NOTICE
    return DecisionForm(
        data,
        initial={"expected_status": application.status},
        allow_return=not in_notice,
        approve_label=_("Final approval") if in_notice else None,
    )


@login_required
@require_POST
def application_decide(request, pk):
    application = get_visible_or_404(
        application_policy, request.user, Application.objects.all(), pk=pk
    )
    form = _decision_form(application, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("members:apply_detail", pk=pk)
    try:
        services.application_decide(
            application=application,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your decision has been recorded."))
    return redirect("members:apply_detail", pk=pk)


@login_required
@require_POST
def objection_resolve(request, pk, objection_id):
    application = get_visible_or_404(
        application_policy, request.user, Application.objects.all(), pk=pk
    )
    if not application_policy.can(request.user, "view_objections", application):
        raise Http404
    objection = get_object_or_404(ApplicationObjection, pk=objection_id, application=application)
    form = ObjectionOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("members:apply_detail", pk=pk)
    try:
        services.objection_resolve(
            objection=objection,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The outcome of the objection has been recorded."))
    return redirect("members:apply_detail", pk=pk)


# --------------------------------------------------------------------------- #
# private files: applicant, the association's secretary and staff only
# --------------------------------------------------------------------------- #
_file_response = private_file_response


def _visible_application(request, pk):
    return get_visible_or_404(application_policy, request.user, Application.objects.all(), pk=pk)


@login_required
def application_photo(request, pk):
    application = _visible_application(request, pk)
    if not application.photo:
        raise Http404
    return _file_response(application.photo)


@login_required
def application_work(request, pk, work_id):
    application = _visible_application(request, pk)
    work = get_object_or_404(application.works.all(), pk=work_id)
    return _file_response(work.file)


@login_required
def objection_evidence(request, pk, objection_id):
    application = _visible_application(request, pk)
    if not application_policy.can(request.user, "view_objections", application):
        raise Http404
    objection = get_object_or_404(application.objections.all(), pk=objection_id)
    if not objection.evidence:
        raise Http404
    return _file_response(objection.evidence)


# --------------------------------------------------------------------------- #
# referees
# --------------------------------------------------------------------------- #
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referee_respond(request, pk):
    referee = get_visible_or_404(
        referee_policy,
        request.user,
        selectors.referee_request_queryset(viewer=request.user),
        pk=pk,
    )
    can_respond = referee_policy.can(request.user, "respond", referee)
    form = RefereeResponseForm(request.POST or None)
    if request.method == "POST":
        if not can_respond:
            messages.error(request, _("This request has already been answered."))
            return redirect("members:referee_respond", pk=pk)
        if form.is_valid():
            try:
                services.referee_respond(
                    referee=referee,
                    actor=request.user,
                    confirm=form.cleaned_data["decision"] == "confirm",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Thank you, your answer has been recorded."))
                return redirect("portal:member_centre")
    return render(
        request,
        "members/apply/referee.html",
        {
            "referee": referee,
            "application": referee.application,
            "form": form,
            "can_respond": can_respond,
            "status_pending": ApplicationReferee.Status.PENDING,
        },
    )


# --------------------------------------------------------------------------- #
# review queue
# --------------------------------------------------------------------------- #
@login_required
def review_queue(request):
    """Applications waiting for action: a secretary's association(s), or all for staff."""
    from associations.permissions import managed_association_ids

    if not (is_federation_staff(request.user) or managed_association_ids(request.user)):
        raise PermissionDenied
    status = request.GET.get("status", "")
    queue = selectors.review_queue(viewer=request.user, status=status)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    statuses = [
        (value, label)
        for value, label in Application.Status.choices
        if value
        not in (
            Application.Status.DRAFT,
            Application.Status.APPROVED,
            Application.Status.REJECTED,
        )
    ]
    return render(
        request,
        "members/apply/queue.html",
        {"page": page, "status": status, "statuses": statuses},
    )


# --------------------------------------------------------------------------- #
# public notice (公示) and objections: public pages
# --------------------------------------------------------------------------- #
def notice_list(request):
    candidates = [
        {"application": a, "masked_name": mask_name(a.name)} for a in selectors.public_notice_list()
    ]
    return render(request, "members/apply/notice_list.html", {"candidates": candidates})


@never_cache
@require_http_methods(["GET", "POST"])
def objection_new(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("association"),
        pk=pk,
        status__in=[
            Application.Status.PUBLIC_NOTICE,
            Application.Status.APPROVED,
            Application.Status.REJECTED,
        ],
        notice_ends_on__isnull=False,
    )
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(
                application=application,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                content=form.cleaned_data["content"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your objection has been received. The federation office will look into "
                    "it and record the outcome."
                ),
            )
            return redirect("members:notice_list")
    return render(
        request,
        "members/apply/objection_form.html",
        {
            "application": application,
            "masked_name": mask_name(application.name),
            "form": form,
            "running": application.status == Application.Status.PUBLIC_NOTICE
            and application.notice_starts_on <= timezone.localdate() <= application.notice_ends_on,
        },
    )
