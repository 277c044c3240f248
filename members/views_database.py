"""Member database pages (MEM-08, X-02, X-03): list with search and filters, member page
with audit history, full ID number on demand (staff), Excel export, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import get_visible_or_404, require_staff
from accounts.roles import is_federation_staff
from portal.pagination import EstimatedCountPaginator

from . import exports, selectors, services, stats
from .filters import MemberFilter

PAGE_SIZE = 25
EXPORT_MAX_ROWS = 20_000


def _member_filter(request) -> MemberFilter:
    if not selectors.membership_policy.can(request.user, "list"):
        raise PermissionDenied
    return MemberFilter(
        request.GET,
        queryset=selectors.member_list(viewer=request.user),
        viewer=request.user,
    )


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_GET
def member_list(request):
    filterset = _member_filter(request)
    valid = filterset.form.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    paginator = EstimatedCountPaginator(
        queryset,
        PAGE_SIZE,
        estimate=valid and not filterset.is_filtered and is_federation_staff(request.user),
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "members/database/list.html",
        {
            "filter": filterset,
            "form_valid": valid,
            "page": page,
            "paginator": paginator,
            "query": _query_without(request, "page"),
            "is_staff_viewer": is_federation_staff(request.user),
        },
    )


def _detail_context(request, membership, *, full_id_number: str = "") -> dict:
    staff = is_federation_staff(request.user)
    context = {
        "membership": membership,
        "person": membership.person,
        "is_staff_viewer": staff,
        "full_id_number": full_id_number,
        "other_memberships": [],
        "history": [],
    }
    if staff:
        others = list(
            selectors.person_other_memberships(viewer=request.user, membership=membership)
        )
        context["other_memberships"] = others
        context["history"] = selectors.audit_history_rows(
            selectors.person_audit_history(
                person=membership.person,
                membership_ids=[membership.id, *[m.id for m in others]],
            )
        )
    return context


def _visible_membership(request, pk):
    return get_visible_or_404(
        selectors.membership_policy,
        request.user,
        selectors.membership_detail_queryset(),
        pk=pk,
    )


@login_required
@require_GET
def member_detail(request, pk):
    membership = _visible_membership(request, pk)
    return render(request, "members/database/detail.html", _detail_context(request, membership))


@never_cache
@login_required
@require_POST
def member_reveal_id(request, pk):
    membership = _visible_membership(request, pk)
    if not selectors.membership_policy.can(request.user, "reveal_id", membership):
        raise PermissionDenied
    number = services.person_reveal_id_number(person=membership.person, actor=request.user)
    context = _detail_context(request, membership, full_id_number=number)
    response = render(request, "members/database/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def member_export(request):
    # exports of personal data only by federation staff (and logged).
    if not selectors.membership_policy.can(request.user, "export"):
        raise PermissionDenied
    filterset = _member_filter(request)
    list_url = reverse("members:database_list") + "?" + _query_without(request, "page", "order")
    if not filterset.form.is_valid():
        messages.error(request, _("The filters are not valid; correct them and export again."))
        return redirect(list_url)
    order = "strokes" if request.GET.get("order") == "strokes" else "pinyin"
    queryset = filterset.qs
    rows = queryset.count()
    if rows > EXPORT_MAX_ROWS:
        messages.error(
            request,
            _(
                "This list has %(rows)s members; an export holds at most %(max)s. Narrow "
                "the filters (for example choose an association) and export again."
            )
            % {"rows": rows, "max": EXPORT_MAX_ROWS},
        )
        return redirect(list_url)
    if order == "strokes":
        memberships = sorted(
            queryset.order_by("id"), key=lambda m: (exports.strokes_key(m.person.name), m.id)
        )
    else:
        memberships = queryset.iterator(chunk_size=2000)
    content = exports.member_workbook(memberships)
    services.member_export_log(
        actor=request.user, filters=filterset.describe(), rows=rows, order=order
    )
    response = HttpResponse(content, content_type=exports.XLSX)
    filename = f"会员名册-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def statistics(request):
    require_staff(request.user)
    if request.method == "POST":
        stats.cached_member_statistics(refresh=True)
        return redirect("members:statistics")
    dimensions, computed_at = stats.cached_member_statistics()
    charts = [
        {
            "key": d.key,
            "title": str(d.title),
            "type": d.chart,
            "labels": [label for label, _n in d.rows],
            "values": [n for _label, n in d.rows],
        }
        for d in dimensions
    ]
    return render(
        request,
        "members/database/stats.html",
        {"dimensions": dimensions, "charts": charts, "computed_at": computed_at},
    )


@login_required
@require_GET
def statistics_export(request):
    require_staff(request.user)
    with translation.override("zh-hans"):
        dimensions, _computed_at = stats.cached_member_statistics()
        content = exports.stats_workbook([(d.sheet, d.rows) for d in dimensions])
    response = HttpResponse(content, content_type=exports.XLSX)
    filename = f"会员统计-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
