from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from portal.admin_mixins import AuditHistoryMixin

from .models import ArtCategory, Association, Town


@admin.register(ArtCategory)
class ArtCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "sort_order")
    list_filter = ("kind",)


@admin.register(Association)
class AssociationAdmin(AuditHistoryMixin, GuardedModelAdmin):
    list_display = ("name", "code", "kind", "art_category", "status", "founded_on")
    list_filter = ("kind", "status")
    search_fields = ("name", "code")
    list_select_related = ("art_category",)
