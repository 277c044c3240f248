from auditlog.registry import auditlog
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ArtCategory(models.Model):
    """Art category (文学, 书法, 美术 …): a reference list editable by staff."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("art category")
        verbose_name_plural = _("art categories")

    def __str__(self):
        return self.name


class Town(models.Model):
    """Town (镇) or street (街道) of 安龙县: a reference list editable by staff."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWN = "town", _("Town")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("town or street")
        verbose_name_plural = _("towns and streets")

    def __str__(self):
        return self.name


class Association(models.Model):
    """An association (协会) or new art group body: the unit of scope."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        NEW_ART_GROUP = "new_art_group", _("New art group body")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being founded")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short upper-case code used in member numbers, e.g. ZX."),
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION
    )
    art_category = models.ForeignKey(
        ArtCategory,
        verbose_name=_("art category"),
        on_delete=models.PROTECT,
        related_name="associations",
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    introduction = models.TextField(_("introduction"), blank=True)
    charter = models.TextField(_("charter"), blank=True)
    admission_standard = models.TextField(_("admission standard and conditions"), blank=True)
    admission_checklist = models.JSONField(
        _("admission checklist"),
        default=list,
        blank=True,
        help_text=_("One item per line of what an applicant must provide or meet."),
    )
    member_number_format = models.CharField(
        _("member number format"),
        max_length=60,
        default="AL-{code}-{year}-{seq:04d}",
        help_text=_("Placeholders: {code}, {year}, {seq}."),
    )
    public_notice_enabled = models.BooleanField(
        _("public notice before final approval"), default=False
    )
    public_notice_days = models.PositiveSmallIntegerField(
        _("public notice period (working days)"), default=5
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        permissions = [("manage_association", _("Can manage the association"))]

    def __str__(self):
        return self.name


class AssociationUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions (cascade with the association)."""

    content_object = models.ForeignKey(Association, on_delete=models.CASCADE)


class AssociationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Association, on_delete=models.CASCADE)


auditlog.register(Association)
auditlog.register(AssociationUserObjectPermission)
