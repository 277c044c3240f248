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
    # null=True: the encrypted field stores an empty value as NULL.
    id_number = EncryptedCharField(  # noqa: DJ001
        _("national ID number"), max_length=18, blank=True, null=True
    )
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
            # Measured at 100,000 members (make bench): join-date ordering and legacy numbers.
            models.Index(fields=["-joined_on", "-id"], name="membership_joined_idx"),
            models.Index(
                fields=["association", "-joined_on", "-id"], name="membership_assoc_joined_idx"
            ),
            models.Index(
                fields=["legacy_number"],
                name="membership_legacy_number_idx",
                condition=~Q(legacy_number=""),
            ),
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


# --------------------------------------------------------------------------- #
# Online application and two-stage review (MEM-01, MEM-02, X-03 consent)
# --------------------------------------------------------------------------- #
class PrivacyConsent(models.Model):
    """A user's explicit consent to the processing of personal information (PIPL)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="privacy_consents",
    )
    version = models.CharField(_("consent text version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to personal information processing")
        verbose_name_plural = _("consents to personal information processing")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.user} · {self.version}"


def _application_file_path(instance, filename):
    # Sanitised uploads already carry a random name; keep only that.
    return f"private/applications/{filename}"


class Application(models.Model):
    """An application for membership of one association (入会申请)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REFEREES = "referees", _("Waiting for the referees")
        ASSOCIATION_REVIEW = "association_review", _("Association review")
        FEDERATION_REVIEW = "federation_review", _("Federation review")
        PUBLIC_NOTICE = "public_notice", _("Public notice")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # Statuses in which an application is "pending" (blocks a second one for the same ID).
    PENDING = (
        Status.REFEREES,
        Status.ASSOCIATION_REVIEW,
        Status.FEDERATION_REVIEW,
        Status.PUBLIC_NOTICE,
        Status.RETURNED,
    )
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        related_name="membership_applications",
    )
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association applied to"),
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Profile (copied into Person at final approval).
    name = models.CharField(_("full name"), max_length=50, blank=True)
    pen_name = models.CharField(_("pen or stage name"), max_length=50, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnic group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Empty ID numbers are stored as NULL by the encrypted field.
    id_number = EncryptedCharField(  # noqa: DJ001
        _("national ID number"), max_length=18, blank=True, null=True
    )
    id_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
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
    art_categories = models.ManyToManyField(
        "associations.ArtCategory", verbose_name=_("art categories"), blank=True
    )
    in_system = models.BooleanField(_("inside the system"), default=False)
    new_art_group = models.BooleanField(_("new art group"), default=False)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=_application_file_path, blank=True)
    work_links = models.TextField(
        _("links to audio and video works"),
        blank=True,
        help_text=_("One link per line."),
    )
    field_life = models.TextField(_("field life record (深入生活)"), blank=True)
    statement = models.TextField(_("statement"), blank=True)
    # Referees as typed by the applicant; resolved into ApplicationReferee rows on submit.
    referee1_name = models.CharField(_("first referee: name"), max_length=50, blank=True)
    referee1_number = models.CharField(_("first referee: member number"), max_length=40, blank=True)
    referee2_name = models.CharField(_("second referee: name"), max_length=50, blank=True)
    referee2_number = models.CharField(
        _("second referee: member number"), max_length=40, blank=True
    )
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending application per person and association, also under races.
            models.UniqueConstraint(
                fields=["association", "id_hash"],
                condition=Q(
                    status__in=[
                        "referees",
                        "association_review",
                        "federation_review",
                        "public_notice",
                        "returned",
                    ]
                )
                & ~Q(id_hash=""),
                name="application_one_pending_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status"], name="application_assoc_status_idx"),
            models.Index(fields=["status", "submitted_at"], name="application_status_sub_idx"),
        ]

    def __str__(self):
        return f"{self.name or '—'} · {self.association or '—'}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    def link_list(self):
        return [line.strip() for line in self.work_links.splitlines() if line.strip()]


class ApplicationWork(models.Model):
    """A representative work uploaded with an application (PDF or image)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="works"
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=_application_file_path)
    content_type = models.CharField(max_length=40, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("representative work")
        verbose_name_plural = _("representative works")
        ordering = ["id"]

    def __str__(self):
        return self.title or self.file.name

    @property
    def is_pdf(self):
        return self.file.name.endswith(".pdf")


class ApplicationReferee(models.Model):
    """One of the two referees (介绍人) of an application and their answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="referees",
    )
    slot = models.PositiveSmallIntegerField(_("referee number"))
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("referee's membership"),
        on_delete=models.PROTECT,
        related_name="referee_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("referee")
        verbose_name_plural = _("referees")
        ordering = ["application", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["application", "slot"], name="referee_slot_uniq"),
            models.UniqueConstraint(
                fields=["application", "membership"], name="referee_membership_uniq"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}/{self.slot}: {self.membership_id}"


class ApplicationStep(models.Model):
    """Every status change of an application: who, when, from, to, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Application.Status.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class ApplicationNotice(models.Model):
    """A message to the applicant shown in their portal pages (and also e-mailed)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="application_notices",
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("application message")
        verbose_name_plural = _("application messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="appnotice_user_read_idx")]

    def __str__(self):
        return self.text[:40]


class ApplicationObjection(models.Model):
    """An objection (异议) filed during the public notice of an application."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet decided")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    name = models.CharField(_("real name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("objection and evidence"))
    evidence = models.FileField(_("evidence file"), upload_to=_application_file_path, blank=True)
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.name}"


auditlog.register(PrivacyConsent)
auditlog.register(
    Application,
    exclude_fields=["id_number", "id_hash", "updated_at"],
    m2m_fields={"art_categories"},
)
auditlog.register(ApplicationWork)
auditlog.register(ApplicationReferee)
auditlog.register(ApplicationStep)
auditlog.register(ApplicationObjection)


class AnnualRegistration(models.Model):
    """年度注册 (MEM-07): each year an active member confirms their record."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="annual_registrations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged as not registered"), null=True, blank=True)
    review_listed_at = models.DateTimeField(
        _("put on the lapse review list"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("annual registration")
        verbose_name_plural = _("annual registrations")
        ordering = ["-year", "membership_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"], name="annual_registration_membership_year_uniq"
            )
        ]
        indexes = [
            models.Index(fields=["year", "confirmed_at"], name="annual_reg_year_confirmed_idx")
        ]

    def __str__(self):
        return f"{self.membership} · {self.year}"


class IdentityChangeRequest(models.Model):
    """MEM-05: a member asks to change identity fields; staff approve or reject."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_name = models.CharField(_("new name"), max_length=50, blank=True)
    new_gender = models.CharField(_("new gender"), max_length=1, choices=Gender.choices, blank=True)
    new_birth_date = models.DateField(_("new date of birth"), null=True, blank=True)
    new_ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("new ethnic group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_id_number = EncryptedCharField(  # noqa: DJ001 - encrypted empty value is NULL
        _("new national ID number"), max_length=18, blank=True, null=True
    )
    new_id_masked = models.CharField(_("new ID number (masked)"), max_length=18, blank=True)
    reason = models.TextField(_("reason for the change"))
    evidence = models.FileField(_("supporting document"), upload_to="private/changes/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity change request")
        verbose_name_plural = _("identity change requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="one_pending_change_request_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"


class DisciplineDecision(models.Model):
    """MEM-06: criticism, warning, suspension, expulsion, referral, voluntary withdrawal and
    reinstatement, each with reason, decider and date; the history is never deleted."""

    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("Criticism and education")
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension of membership")
        EXPULSION = "expulsion", _("Expulsion")
        REFERRAL = "referral", _("Referral to the authorities")
        WITHDRAWAL = "withdrawal", _("Voluntary withdrawal")
        LAPSE = "lapse", _("Treated as having left (a year without registration or participation)")
        REINSTATEMENT = "reinstatement", _("Reinstatement")

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("date of decision"))
    decider = models.CharField(
        _("decided by (body)"),
        max_length=100,
        help_text=_("E.g. the association council, the presidium."),
    )
    council_resolution = models.TextField(
        _("council vote"),
        blank=True,
        help_text=_("Required for an expulsion: date and result of the council vote."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attachment = models.FileField(_("attachment"), upload_to="private/discipline/", blank=True)
    status_before = models.CharField(_("status before"), max_length=20)
    status_after = models.CharField(_("status after"), max_length=20)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("discipline decision")
        verbose_name_plural = _("discipline decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.membership} · {self.get_kind_display()}"


auditlog.register(AnnualRegistration)
auditlog.register(IdentityChangeRequest, exclude_fields=["new_id_number"])
auditlog.register(DisciplineDecision)
