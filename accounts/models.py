from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter an 11-digit mainland mobile number starting with 13–19, e.g. 13812345678."),
    code="mobile",
)


class User(AbstractUser):
    """A login. Identity data of the natural person lives in members.Person."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile number"),
        max_length=11,
        blank=True,
        null=True,
        unique=True,
        validators=[mobile_validator],
        help_text=_("Can be used instead of the user name to log in."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username


auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
)
