"""Association pages: the public page, and the governance pages of staff and secretaries.

Scope: staff see every association; a secretary sees the pages of their own associations
(read-only for leadership); anything else answers 404. Federation bodies (presidium,
committee) are staff-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import get_visible_or_404
from accounts.roles import is_federation_staff
from members.selectors import person_for_user

from . import selectors, services
from .forms import (
    AppointForm,
    ContactForm,
    DutyForm,
    EndOfficeForm,
    MeetingForm,
    RemoveOfficeForm,
    SurveyForm,
    TermForm,
)
from .models import Association, Body, Congress, Office, Term
from .permissions import managed_association_ids, policy

FEDERATION_BODIES = {"presidium": Body.PRESIDIUM, "committee": Body.COMMITTEE}


def public_detail(request, code):
    """Public page of an association: introduction, current leadership, admission standard."""
    association = get_object_or_404(
        Association.objects.select_related("art_category").exclude(
            status=Association.Status.DISSOLVED
        ),
        code=code,
    )
    leadership = selectors.current_leadership(association=association, today=timezone.localdate())
    return render(
        request,
        "associations/public_detail.html",
        {"association": association, "leadership": leadership},
    )


def _association_or_404(request, code):
    return get_visible_or_404(policy, request.user, Association.objects.all(), code=code)


def _federation_body_or_404(request, body):
    if not is_federation_staff(request.user) or body not in FEDERATION_BODIES:
        raise Http404
    return FEDERATION_BODIES[body]


def _errors_to_messages(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


# -- Leadership: terms and offices ----------------------------------------------------------


@login_required
def leadership(request, code):
    association = _association_or_404(request, code)
    return _leadership_page(request, body=Body.COUNCIL, association=association)


@login_required
def federation_leadership(request, body):
    return _leadership_page(request, body=_federation_body_or_404(request, body), association=None)


def _leadership_page(request, *, body, association):
    can_edit = is_federation_staff(request.user)
    terms_qs = (
        Term.objects.filter(body=body, association=association)
        .select_related("association")
        .order_by("-number")
    )
    next_number = (terms_qs.aggregate(n=Max("number"))["n"] or 0) + 1
    term_form = TermForm(initial={"number": next_number})
    appoint_form = AppointForm(
        terms=terms_qs, body=body, association=association, initial={"term": terms_qs.first()}
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        actor = request.user
        if action == "term":
            term_form = TermForm(request.POST)
            if term_form.is_valid():
                data = term_form.cleaned_data
                try:
                    term = services.term_create(
                        body=body,
                        association=association,
                        number=data["number"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        notes=data["notes"],
                        actor=actor,
                    )
                except ValidationError as exc:
                    term_form.add_error(None, exc)
                else:
                    messages.success(request, _("%(term)s was created.") % {"term": term})
                    return redirect(request.path)
        elif action == "appoint":
            appoint_form = AppointForm(
                request.POST, terms=terms_qs, body=body, association=association
            )
            if appoint_form.is_valid():
                data = appoint_form.cleaned_data
                try:
                    office = services.office_appoint(
                        term=data["term"],
                        person=appoint_form.membership.person,
                        role=data["role"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        cadre=data["cadre"],
                        justification=data["justification"],
                        actor=actor,
                    )
                except ValidationError as exc:
                    appoint_form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("%(person)s was appointed %(role)s.")
                        % {"person": office.person.name, "role": office.get_role_display()},
                    )
                    return redirect(request.path)
        elif action in {"end", "remove"}:
            form = (EndOfficeForm if action == "end" else RemoveOfficeForm)(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter a valid end date."))
            else:
                office = get_object_or_404(
                    Office.objects.select_related("person", "term"),
                    pk=form.cleaned_data["office"],
                    term__in=terms_qs,
                )
                try:
                    if action == "end":
                        services.office_end(
                            office=office,
                            ends_on=form.cleaned_data["ends_on"],
                            reason=form.cleaned_data["reason"],
                            actor=actor,
                        )
                        done = _("The office of %(person)s was ended.")
                    else:
                        services.office_remove(office=office, actor=actor)
                        done = _("The office of %(person)s was removed.")
                except ValidationError as exc:
                    _errors_to_messages(request, exc)
                else:
                    messages.success(request, done % {"person": office.person.name})
                    return redirect(request.path)
        else:
            return HttpResponseBadRequest()
    terms = list(selectors.terms_with_offices(body=body, association=association))
    return render(
        request,
        "associations/leadership.html",
        {
            "association": association,
            "body": body,
            "body_label": Body(body).label,
            "terms": terms,
            "can_edit": can_edit,
            "term_form": term_form,
            "appoint_form": appoint_form,
            "today": timezone.localdate(),
        },
    )


# -- Duty registration (ORG-05) -------------------------------------------------------------


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def duty_overview(request, code):
    association = _association_or_404(request, code)
    year = _year(request)
    groups = selectors.duty_status(association_ids=[association.id], year=year)
    return render(
        request,
        "associations/duty_overview.html",
        {"association": association, "groups": groups, "year": year},
    )


@login_required
def federation_duty(request):
    if not is_federation_staff(request.user):
        raise Http404
    year = _year(request)
    groups = selectors.duty_status(association_ids=None, year=year)
    return render(
        request,
        "associations/duty_overview.html",
        {"association": None, "groups": groups, "year": year},
    )


@login_required
def my_duty(request):
    """An office holder files the year's duty registration."""
    person = person_for_user(request.user)
    today = timezone.localdate()
    offices = selectors.offices_of(person, today=today) if person else []
    form = DutyForm()
    if request.method == "POST":
        if person is None:
            raise Http404
        form = DutyForm(request.POST)
        if form.is_valid():
            try:
                services.duty_register(
                    person=person,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Your duty registration for %(year)s was saved.")
                    % {"year": form.cleaned_data["year"]},
                )
                return redirect("associations:my_duty")
    registrations = list(selectors.duty_registrations_of(person)) if person else []
    return render(
        request,
        "associations/my_duty.html",
        {"person": person, "offices": offices, "form": form, "registrations": registrations},
    )


# -- Contact log (ORG-10) -------------------------------------------------------------------


@login_required
def contacts(request, code):
    association = _association_or_404(request, code)
    form = ContactForm(association=association)
    if request.method == "POST":
        form = ContactForm(request.POST, association=association)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_log(
                    association=association,
                    membership=form.membership,
                    contacted_on=data["contacted_on"],
                    channel=data["channel"],
                    topic=data["topic"],
                    problem=data["problem"],
                    resolution=data["resolution"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The contact was logged."))
                return redirect("associations:contacts", code=association.code)
    page = Paginator(selectors.contacts_of(association=association), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "associations/contacts.html",
        {"association": association, "form": form, "page": page},
    )


# -- Meetings -------------------------------------------------------------------------------


@login_required
def meetings(request, code):
    association = _association_or_404(request, code)
    return _meetings_page(request, body=Body.COUNCIL, association=association)


@login_required
def federation_meetings(request, body):
    return _meetings_page(request, body=_federation_body_or_404(request, body), association=None)


def _meetings_page(request, *, body, association):
    terms_qs = (
        Term.objects.filter(body=body, association=association)
        .select_related("association")
        .order_by("-number")
    )
    latest = terms_qs.first()
    holders = selectors.holders_of(term=latest) if latest is not None else []
    form = MeetingForm(terms=terms_qs, holders=holders, initial={"term": latest})
    if request.method == "POST":
        form = MeetingForm(request.POST, terms=terms_qs, holders=holders)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    term=data["term"],
                    held_on=data["held_on"],
                    title=data["title"],
                    present_person_ids=[int(p) for p in data["present"]],
                    decisions=data["decisions"],
                    minutes=data["minutes"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if meeting.quorate:
                    messages.success(request, _("The meeting was recorded; it was quorate."))
                else:
                    messages.warning(
                        request,
                        _(
                            "The meeting was recorded, but fewer than two thirds of the body "
                            "were present: its decisions are not valid."
                        ),
                    )
                return redirect(request.path)
    return render(
        request,
        "associations/meetings.html",
        {
            "association": association,
            "body_label": Body(body).label,
            "form": form,
            "meetings": list(selectors.meetings_of(terms=terms_qs)),
            "has_terms": latest is not None,
        },
    )


# -- Grassroots network, group members, funding (staff) -------------------------------------


@login_required
def network(request):
    if not is_federation_staff(request.user):
        raise Http404
    return render(
        request,
        "associations/network.html",
        {
            "association": None,
            **selectors.network_coverage(today=timezone.localdate()),
            "group_members": list(selectors.group_members()),
        },
    )


@login_required
def funding(request):
    if not is_federation_staff(request.user):
        raise Http404
    year = _year(request)
    rows = selectors.funding_table(year=year, today=timezone.localdate())
    totals = {
        key: sum((getattr(a, key) or 0) for a in rows) for key in ("budget", "grant", "spending")
    }
    return render(
        request,
        "associations/funding.html",
        {"association": None, "rows": rows, "year": year, "totals": totals},
    )


# -- Appraisal (ORG-08) ---------------------------------------------------------------------


@login_required
def federation_appraisal(request):
    """Staff: the ranked table, survey figures, finalising."""
    if not is_federation_staff(request.user):
        raise Http404
    year = _year(request)
    survey_error = None
    if request.method == "POST":
        action = request.POST.get("action")
        association = get_object_or_404(Association, code=request.POST.get("association", ""))
        try:
            if action == "survey":
                form = SurveyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        _("Survey figures are percentages between 0 and 100."),
                        code="appraisal_survey_range",
                    )
                services.appraisal_set_survey(
                    association=association,
                    year=year,
                    awareness=form.cleaned_data["awareness"],
                    participation=form.cleaned_data["participation"],
                    satisfaction=form.cleaned_data["satisfaction"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("The survey figures of %(association)s were saved.")
                    % {"association": association.name},
                )
            elif action == "finalise":
                services.appraisal_finalise(association=association, year=year, actor=request.user)
                messages.success(
                    request,
                    _("The appraisal of %(association)s is final.")
                    % {"association": association.name},
                )
            else:
                return HttpResponseBadRequest()
        except ValidationError as exc:
            survey_error = exc
            _errors_to_messages(request, exc)
        else:
            return redirect(f"{request.path}?year={year}")
    table = selectors.appraisal_table(year=year)
    return render(
        request,
        "associations/appraisal.html",
        {
            "association": None,
            "year": year,
            **table,
            "can_edit": True,
            "can_sign": False,
            "survey_error": survey_error,
        },
        status=400 if survey_error else 200,
    )


@login_required
def appraisal(request, code):
    """The association's own appraisal draft; its secretary signs it off."""
    association = _association_or_404(request, code)
    year = _year(request)
    can_sign = association.id in managed_association_ids(request.user)
    if request.method == "POST":
        if not can_sign or request.POST.get("action") != "sign":
            raise PermissionDenied
        try:
            services.appraisal_sign(association=association, year=year, actor=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("You signed off the %(year)s appraisal.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    table = selectors.appraisal_table(year=year, association_ids=[association.id])
    return render(
        request,
        "associations/appraisal.html",
        {
            "association": association,
            "year": year,
            **table,
            "can_edit": False,
            "can_sign": can_sign,
        },
    )


# -- Congress (ORG-04) ----------------------------------------------------------------------


def _staff_or_404(request):
    if not is_federation_staff(request.user):
        raise Http404


@login_required
def congresses(request):
    _staff_or_404(request)
    items = list(Congress.objects.annotate(delegate_count=Count("delegates")))
    return render(
        request, "associations/congresses.html", {"association": None, "congresses": items}
    )


@login_required
def congress_report(request, number):
    _staff_or_404(request)
    congress = get_object_or_404(Congress, number=number)
    composition = selectors.congress_composition(congress=congress)
    chart = {
        "labels": [str(r["label"]) for r in composition["rows"]],
        "shares": [r["share"] for r in composition["rows"]],
        "targets": [r["target"] for r in composition["rows"]],
        "share_label": _("Share (%)"),
        "target_label": _("Target (%)"),
    }
    return render(
        request,
        "associations/congress_report.html",
        {
            "association": None,
            "congress": congress,
            **composition,
            "chart": chart,
            "delegates": list(selectors.congress_delegates(congress=congress)),
        },
    )


@login_required
def congress_export(request, number):
    from . import exports

    _staff_or_404(request)
    congress = get_object_or_404(Congress, number=number)
    content = exports.congress_workbook(congress=congress)
    services.congress_export_log(
        actor=request.user, congress=congress, rows=congress.delegates.count()
    )
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="congress-{congress.number}.xlsx"'
    return response
