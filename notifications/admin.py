from django.contrib import admin

from .models import Notification, NotificationPreference, ReminderLog, SMSMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created"
    show_full_result_count = False

    # Messages are written by the services (notify); the admin only reads them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """The record of reminders: read-only, a reminder is never edited after the fact."""

    list_display = ["kind", "recipient", "obj_key", "period", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["obj_key", "recipient__username", "recipient__full_name"]
    show_full_result_count = False
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would make the job send that reminder again.
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "sms"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]


@admin.register(SMSMessage)
class SMSMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "text", "backend", "created"]
    search_fields = ["phone"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
