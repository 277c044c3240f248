"""Admin pieces shared by the record apps."""

from auditlog.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class AuditHistoryMixin:
    """Replace the admin's "history" page with the django-auditlog trail of the object:
    who changed what, when (X-02)."""

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        from members.selectors import audit_history_rows

        entries = audit_history_rows(
            LogEntry.objects.get_for_object(obj)
            .select_related("actor", "content_type")
            .order_by("-timestamp")[:500]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "entries": entries,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/audit_history.html", context)
