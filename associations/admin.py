from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import AuditHistoryMixin

from . import services
from .models import (
    Appraisal,
    ArtCategory,
    Association,
    CommitteeEvaluation,
    Congress,
    ContactLog,
    Delegate,
    DutyRegistration,
    Funding,
    GrassrootsOrganisation,
    GroupMember,
    Liaison,
    Meeting,
    Office,
    Term,
    Town,
)


@admin.register(ArtCategory)
class ArtCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "sort_order")
    list_filter = ("kind",)


@admin.register(Association)
class AssociationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Secretary scope is granted only through 秘书长 offices or secretary_assign, never
    by editing object permissions by hand (which no term end would take back)."""

    list_display = ("name", "code", "kind", "art_category", "status", "founded_on")
    list_filter = ("kind", "status")
    search_fields = ("name", "code")
    list_select_related = ("art_category",)


# -- Governance: terms with their offices (rules enforced through the services) -------------


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["body", "association", "number", "starts_on", "ends_on", "notes"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if self.instance.pk and start and end:
            outside = self.instance.offices.filter(Q(starts_on__lt=start) | Q(ends_on__gt=end))
            if outside.exists():
                raise forms.ValidationError(
                    _("Some offices of this term lie outside the new dates; end them first."),
                    code="term_offices_outside",
                )
        return data


class OfficeInlineForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "person",
            "role",
            "starts_on",
            "ends_on",
            "part_time",
            "cadre",
            "justification",
            "ended_reason",
        ]
        widgets = {"justification": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False
        if self.instance.pk:
            # An appointment is changed only by ending it (or removing a wrong record).
            for name in ("person", "role", "starts_on", "part_time", "cadre", "justification"):
                self.fields[name].disabled = True
        else:
            self.fields["ended_reason"].disabled = True

    def clean(self):
        data = super().clean()
        term = getattr(self.instance, "term", None) if self.instance.term_id else None
        if term is not None and not self.instance.pk:
            data["starts_on"] = data.get("starts_on") or term.starts_on
            data["ends_on"] = data.get("ends_on") or term.ends_on
        if not data.get("ends_on") and self.instance.pk:
            self.add_error("ends_on", _("Enter the end date."))
        return data

    def _post_clean(self):
        # The rules run through the services (formset clean); skip the model's own
        # constraint checks here so each rule answers with its named message.
        pass


class OfficeInlineFormSet(forms.BaseInlineFormSet):
    actor = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        sid = transaction.savepoint()
        try:
            apply_office_formset(self, actor=self.actor, dry_run=True)
        finally:
            transaction.savepoint_rollback(sid)


def apply_office_formset(formset, *, actor, dry_run=False):
    """Removals, early endings, then appointments, each through the services. On a dry run
    the broken rules are attached to their rows as form errors."""
    failed = False
    new, changed, deleted = [], [], []
    for form in formset.forms:
        if not form.has_changed() and not (form.instance.pk and formset._should_delete_form(form)):
            continue
        data = form.cleaned_data
        if not data:
            continue
        office = form.instance
        try:
            if office.pk and formset._should_delete_form(form):
                deleted.append(office)
                services.office_remove(office=office, actor=actor)
            elif office.pk:
                if "ends_on" in form.changed_data:
                    services.office_end(
                        office=office,
                        ends_on=data["ends_on"],
                        reason=data.get("ended_reason", ""),
                        actor=actor,
                    )
                elif "ended_reason" in form.changed_data:
                    Office.objects.filter(pk=office.pk).update(ended_reason=data["ended_reason"])
                changed.append((office, form.changed_data))
            elif not formset._should_delete_form(form):
                new.append(
                    services.office_appoint(
                        term=formset.instance,
                        person=data["person"],
                        role=data["role"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        part_time=data.get("part_time", False),
                        cadre=data.get("cadre", False),
                        justification=data.get("justification", ""),
                        actor=actor,
                    )
                )
        except ValidationError as exc:
            failed = True
            if dry_run:
                form.add_error(None, exc)
            else:
                raise
    if failed:
        raise ValidationError(_("Some offices break the rules; see the rows marked below."))
    formset.new_objects, formset.changed_objects, formset.deleted_objects = new, changed, deleted


class OfficeInline(admin.TabularInline):
    model = Office
    form = OfficeInlineForm
    formset = OfficeInlineFormSet
    extra = 1
    autocomplete_fields = ("person",)
    readonly_fields = ("scope_revoked_on",)
    ordering = ("starts_on", "id")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "term")


@admin.register(Term)
class TermAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = TermAdminForm
    inlines = [OfficeInline]
    list_display = ("__str__", "body", "association", "number", "starts_on", "ends_on")
    list_filter = ("body", "association")
    list_select_related = ("association",)
    ordering = ("body", "association__sort_order", "-number")

    def get_inlines(self, request, obj):
        # Offices are added once the term exists (the rules need its dates).
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not Office:
            return super().save_formset(request, form, formset, change)
        try:
            apply_office_formset(formset, actor=request.user)
        except ValidationError as exc:
            transaction.set_rollback(True)
            for message in exc.messages:
                messages.error(request, message)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ReadOnlyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Recorded through the portal pages (services); the admin only looks them up."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ("person", "role", "term", "starts_on", "ends_on", "cadre", "part_time")
    list_filter = ("role", "term__body", "cadre")
    search_fields = ("person__name",)
    list_select_related = ("person", "term__association")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "term", "held_on", "present", "expected")
    list_select_related = ("term__association",)


@admin.register(DutyRegistration)
class DutyRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("person", "year", "filed_at")
    list_filter = ("year",)
    search_fields = ("person__name",)
    list_select_related = ("person",)


@admin.register(ContactLog)
class ContactLogAdmin(ReadOnlyAdmin):
    list_display = ("contacted_on", "association", "membership", "channel", "topic")
    list_filter = ("association", "channel")
    list_select_related = ("association", "membership__person", "membership__association")


@admin.register(GroupMember)
class GroupMemberAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "town", "contact_person", "joined_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "contact_person")
    list_select_related = ("town",)


@admin.register(GrassrootsOrganisation)
class GrassrootsOrganisationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "town", "contact_person", "active")
    list_filter = ("kind", "active", "town")
    search_fields = ("name",)
    list_select_related = ("town",)


@admin.register(Liaison)
class LiaisonAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("person", "town", "unit", "starts_on", "ends_on")
    list_filter = ("town",)
    autocomplete_fields = ("person",)
    list_select_related = ("person", "town")


@admin.register(Funding)
class FundingAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("association", "year", "budget", "grant", "spending")
    list_filter = ("year", "association")
    list_select_related = ("association",)


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ("association", "year", "status", "score", "signed_at", "finalised_at")
    list_filter = ("year", "status")
    list_select_related = ("association",)


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 3
    autocomplete_fields = ("person",)
    fields = ("person", "association", "grassroots")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "association")


@admin.register(Congress)
class CongressAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("__str__", "number", "held_on")
    inlines = [DelegateInline]


@admin.register(CommitteeEvaluation)
class CommitteeEvaluationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("office", "year", "rating")
    list_filter = ("year", "rating")
    autocomplete_fields = ("office",)
    list_select_related = ("office__person", "office__term__association")
