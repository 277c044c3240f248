from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from .services import grant_staff_model_permissions

        # Model permissions are created app by app after migrate; grant them to the staff
        # group after each app's (idempotent), so the last app's permissions are included.
        post_migrate.connect(grant_staff_model_permissions, dispatch_uid="grant_staff_perms")
