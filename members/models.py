from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from accounts.models import mobile_validator


class ReferenceItem(models.Model):
    """Base of the reference lists (code lists of GB standards), editable by staff."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class EthnicGroup(ReferenceItem):
    """The 56 ethnic groups of GB 3304 (current names) plus 其他; 汉, 布依, 苗 first."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")


class PoliticalStatus(ReferenceItem):
    """GB/T 4762 political status."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("political status")
        verbose_name_plural = _("political statuses")


class EducationLevel(ReferenceItem):
    """GB/T 4658 education levels."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(models.Model):
    """One row per natural person: applicants, members, office holders, judges, trainees
    and volunteers are all Persons. No other app copies identity fields."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    name = models.CharField(_("full name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True)
    # Characters and character pairs of the name, for index-backed 1–2 character search.
    name_terms = ArrayField(models.CharField(max_length=4), default=list, blank=True)
    pen_name = models.CharField(_("pen or stage name"), max_length=50, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnic_group = models.ForeignKey(
        EthnicGroup, verbose_name=_("ethnic group"), on_delete=models.PROTECT
    )
    birth_date = models.DateField(_("date of birth"))
    id_number = EncryptedCharField(_("national ID number"), max_length=18, blank=True)
    id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_masked = models.CharField(_("ID number (masked)"), max_length=18, blank=True, editable=False)
    phone = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[mobile_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    political_status = models.ForeignKey(
        PoliticalStatus,
        verbose_name=_("political status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    education = models.ForeignKey(
        EducationLevel,
        verbose_name=_("education"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    job_title = models.CharField(_("job"), max_length=50, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=50, blank=True)
    town = models.ForeignKey(
        "associations.Town",
        verbose_name=_("town or street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    art_categories = models.ManyToManyField(
        "associations.ArtCategory", verbose_name=_("art categories"), blank=True
    )
    in_system = models.BooleanField(
        _("inside the system"),
        default=False,
        help_text=_("Works in a government body or public institution (体制内)."),
    )
    new_art_group = models.BooleanField(_("new art group"), default=False)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    bio = models.TextField(_("biography"), blank=True)
    representative_works = models.TextField(_("representative works"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name_pinyin", "id"]
        indexes = [
            GinIndex(fields=["name_terms"], name="person_name_terms_gin"),
            models.Index(fields=["name_pinyin", "id"], name="person_pinyin_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
        ]
        permissions = [("view_full_id_number", _("Can view full ID numbers"))]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A Person's membership of one association: a "member" has an active one."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")
        LAPSED = "lapsed", _("Lapsed")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    number = models.CharField(_("member number"), max_length=40, null=True, blank=True)  # noqa: DJ001 - unique when set
    legacy_number = models.CharField(_("former member number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("date of joining"))
    left_on = models.DateField(_("date of leaving"), null=True, blank=True)
    position = models.CharField(_("position in the association"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["association__sort_order", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "association"], name="membership_person_association_uniq"
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="membership_number_uniq",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status"], name="membership_assoc_status_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.association}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class MemberNumberCounter(models.Model):
    """Per-association, per-year counter row locked with SELECT … FOR UPDATE; numbers are
    never taken from MAX()+1 and never reused."""

    association = models.ForeignKey("associations.Association", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="counter_assoc_year_uniq")
        ]

    def __str__(self):
        return f"{self.association_id}/{self.year}: {self.last}"


# Audit trail. The encrypted ID number never enters the log; its masked form does.
auditlog.register(
    Person, exclude_fields=["id_number", "id_hash", "name_terms", "name_pinyin", "updated_at"]
)
auditlog.register(Membership, exclude_fields=["updated_at"])
