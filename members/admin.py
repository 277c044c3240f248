from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import AuditHistoryMixin
from portal.pagination import EstimatedCountPaginator
from portal.uploads import SanitizedImageField

from .models import (
    Application,
    ApplicationStep,
    DisciplineDecision,
    EducationLevel,
    EthnicGroup,
    IdentityChangeRequest,
    Membership,
    Person,
    PoliticalStatus,
)
from .search import name_search_q
from .services import name_values


@admin.register(EthnicGroup, PoliticalStatus, EducationLevel)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "active")
    list_editable = ("sort_order", "active")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("association",)
    fields = (
        "association",
        "number",
        "legacy_number",
        "status",
        "joined_on",
        "left_on",
        "position",
    )


def _indexed_search(queryset, term: str, *, prefix: str):
    """Admin search on indexes: a mobile number or member number exactly, a name through the
    GIN-indexed name terms (1–2 Chinese characters are the common case)."""
    term = (term or "").strip()
    if not term:
        return queryset
    if term.isdigit() and len(term) == 11:
        return queryset.filter(**{f"{prefix}phone": term})
    if any(ch.isdigit() for ch in term):
        if prefix:  # memberships: member number or former number
            return queryset.filter(Q(number=term) | Q(legacy_number=term))
        return queryset.filter(memberships__number=term)
    return queryset.filter(name_search_q(term, prefix=prefix))


class PersonAdminForm(forms.ModelForm):
    # Photos uploaded in the admin are sanitised like everywhere else (re-encoded, EXIF/GPS
    # stripped, random name).
    photo = SanitizedImageField(label=_("photo"), required=False)

    class Meta:
        model = Person
        exclude = ("id_number", "name_terms", "name_pinyin")  # noqa: DJ006 - encrypted and derived fields


@admin.register(Person)
class PersonAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ("name", "gender", "ethnic_group", "birth_date", "id_masked", "phone", "town")
    list_select_related = ("ethnic_group", "town")
    search_fields = ("name", "=phone")  # name search: see get_search_results
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ("user",)
    readonly_fields = ("id_masked",)
    exclude = ("id_number", "name_terms", "name_pinyin")
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        return _indexed_search(queryset, search_term, prefix=""), False

    def get_ordering(self, request):
        # With a search, sort the (index-found) matches by id: ordering by pinyin would make
        # PostgreSQL walk the pinyin index past every non-matching person for common surnames.
        if request.GET.get("q"):
            return ("-id",)
        return super().get_ordering(request)

    def save_model(self, request, obj, form, change):
        # Keep the pinyin sort key and the search terms in step with an edited name.
        for field, value in name_values(obj.name).items():
            setattr(obj, field, value)
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("person", "association", "number", "legacy_number", "status", "joined_on")
    list_select_related = ("person", "association")
    list_filter = ("association", "status")
    ordering = ("-joined_on", "-id")  # the join-date index; no join to sort 100,000 rows
    search_fields = ("=number", "=legacy_number", "person__name")  # see get_search_results
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ("person", "association")

    def get_search_results(self, request, queryset, search_term):
        return _indexed_search(queryset, search_term, prefix="person__"), False


class RecordAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Read-only registers (MEM-05, MEM-06): decisions are made in the portal through the
    services, and the history is never deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(RecordAdmin):
    list_display = ("person", "status", "new_name", "new_id_masked", "created_at", "decided_by")
    list_select_related = ("person", "decided_by")
    list_filter = ("status",)
    search_fields = ("person__name", "new_name")
    date_hierarchy = "created_at"
    exclude = ("new_id_number",)


@admin.register(DisciplineDecision)
class DisciplineDecisionAdmin(RecordAdmin):
    list_display = (
        "membership",
        "kind",
        "decided_on",
        "decider",
        "status_before",
        "status_after",
        "recorded_by",
    )
    list_select_related = ("membership__person", "membership__association", "recorded_by")
    list_filter = ("kind", "membership__association")
    search_fields = ("membership__person__name", "=membership__number", "decider")
    date_hierarchy = "decided_on"


class ApplicationStepInline(admin.TabularInline):
    model = ApplicationStep
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Applications are read here; every decision goes through the review pages (services),
    so the two-stage rules, reasons and notices always hold."""

    list_display = ("name", "association", "status", "id_masked", "phone", "submitted_at")
    list_filter = ("status", "association")
    list_select_related = ("association",)
    search_fields = ("name", "=phone")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    date_hierarchy = "created_at"
    exclude = ("id_number", "id_hash")  # noqa: DJ006 - the encrypted number never shows
    inlines = [ApplicationStepInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude] + [
            "art_categories"
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
