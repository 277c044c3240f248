"""Roster import pages (staff): upload an Excel roster, check it or import it, and see
the row-by-row report; download the import template. The uploaded file is processed
within the request and never stored (Django removes its temporary copy afterwards)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require_staff

from .forms_import import RosterImportForm
from .importer import SOURCE_WEB, roster_import
from .roster import write_template

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILE_NAME = "会员名册导入模板.xlsx"
REPORT_ROW_LIMIT = 1000  # rows of each report table shown on the page


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_roster(request):
    require_staff(request.user)
    if request.method != "POST":
        return render(request, "members/import/form.html", {"form": RosterImportForm()})
    form = RosterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "members/import/form.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    association = form.cleaned_data["association"]
    report = roster_import(
        fileobj=upload,
        association=association,
        actor=request.user,
        dry_run=request.POST.get("action") != "import",
        file_name=upload.name,
        source=SOURCE_WEB,
    )
    return render(
        request,
        "members/import/result.html",
        {
            "report": report,
            "errors": report.errors[:REPORT_ROW_LIMIT],
            "warnings": report.warnings[:REPORT_ROW_LIMIT],
            "skipped": report.skipped[:REPORT_ROW_LIMIT],
            "limit": REPORT_ROW_LIMIT,
            "form": RosterImportForm(initial={"association": association}),
        },
    )


@login_required
@require_GET
def import_template(request):
    require_staff(request.user)
    buffer = io.BytesIO()
    write_template(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=TEMPLATE_FILE_NAME
    )
    return response
