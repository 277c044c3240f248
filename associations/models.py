from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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


# -- Governance: bodies, terms and offices (ORG-02, ORG-03) ---------------------------------


class DateRange(models.Func):
    """``daterange(start, end, '[)')``: half-open, as every office and term period is."""

    function = "DATERANGE"
    output_field = DateRangeField()


class Body(models.TextChoices):
    COUNCIL = "council", _("Association council")
    COMMITTEE = "committee", _("Federation committee")
    PRESIDIUM = "presidium", _("Federation presidium")


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    PART_TIME_VICE_CHAIR = "part_time_vice_chair", _("Part-time vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", _("Deputy secretary-general")
    STANDING_DIRECTOR = "standing_director", _("Standing director")
    DIRECTOR = "director", _("Director")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")


# Roles each body has (services refuse any other).
BODY_ROLES = {
    Body.COUNCIL: [
        Role.CHAIR,
        Role.VICE_CHAIR,
        Role.SECRETARY_GENERAL,
        Role.DEPUTY_SECRETARY_GENERAL,
        Role.STANDING_DIRECTOR,
        Role.DIRECTOR,
    ],
    Body.PRESIDIUM: [Role.CHAIR, Role.PART_TIME_VICE_CHAIR, Role.VICE_CHAIR],
    Body.COMMITTEE: [Role.COMMITTEE_MEMBER],
}

# Roles that need a recorded justification for a cadre or an officer over the age limit.
SENIOR_ROLES = {Role.CHAIR, Role.VICE_CHAIR, Role.PART_TIME_VICE_CHAIR, Role.SECRETARY_GENERAL}


class Term(models.Model):
    """A term (届) of a body: an association's council, or the federation's committee or
    presidium. The period is half-open: the term ends on ``ends_on``."""

    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        help_text=_("Only for an association council; empty for federation bodies."),
    )
    number = models.PositiveSmallIntegerField(_("term number"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["body", "association__sort_order", "-number"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="term_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(body="council") & Q(association__isnull=False))
                | (~Q(body="council") & Q(association__isnull=True)),
                name="term_council_has_association",
                violation_error_message=_(
                    "A council term belongs to an association; a presidium or committee term "
                    "belongs to none."
                ),
            ),
            models.UniqueConstraint(
                fields=["body", "association", "number"],
                name="term_body_number_uniq",
                violation_error_message=_("This body already has a term with that number."),
                nulls_distinct=False,
            ),
            ExclusionConstraint(
                name="term_no_overlap",
                violation_error_message=_("The dates overlap another term of the same body."),
                expressions=[
                    ("body", RangeOperators.EQUAL),
                    (Coalesce("association", Value(0)), RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        owner = self.association.name if self.association_id else self.get_body_display()
        return _("%(owner)s, term %(number)s") % {"owner": owner, "number": self.number}

    @property
    def body_label(self):
        return self.get_body_display()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be after the start date.")},
                code="term_end_before_start",
            )


class Office(models.Model):
    """A person's office in a term. Half-open period: the office ends on ``ends_on``, the
    day a successor may start."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="offices"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="offices",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    part_time = models.BooleanField(_("part-time"), default=False)
    cadre = models.BooleanField(
        _("party or government cadre"),
        default=False,
        help_text=_("Serving party or government cadre (党政干部)."),
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_(
            "Required for a cadre, or an officer over the age limit, as chair, "
            "vice-chair or secretary-general."
        ),
    )
    ended_reason = models.CharField(_("reason for ending early"), max_length=200, blank=True)
    scope_revoked_on = models.DateField(
        _("secretary scope revoked on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["term", "starts_on", "id"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="office_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            # One chair and one secretary-general per term at any time.
            ExclusionConstraint(
                name="office_single_seat_no_overlap",
                violation_error_message=_(
                    "A term has one chair and one secretary-general at a time."
                ),
                expressions=[
                    ("term", RangeOperators.EQUAL),
                    ("role", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role__in=["chair", "secretary_general"]),
            ),
            # The same person cannot hold the same seat twice at the same time.
            ExclusionConstraint(
                name="office_same_seat_no_overlap",
                violation_error_message=_(
                    "The same person already holds this office in this term at that time."
                ),
                expressions=[
                    ("term", RangeOperators.EQUAL),
                    ("person", RangeOperators.EQUAL),
                    ("role", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["role", "ends_on"], name="office_role_ends_idx"),
            models.Index(fields=["person", "role"], name="office_person_role_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.term}"

    def active_on(self, day) -> bool:
        return self.starts_on <= day < self.ends_on


auditlog.register(Term)
auditlog.register(Office, exclude_fields=["created_at"])


# -- Meetings of councils and the presidium -------------------------------------------------


class Meeting(models.Model):
    """A meeting of a body in one of its terms, with attendance, decisions and minutes."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date held"))
    title = models.CharField(_("title"), max_length=100)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    expected = models.PositiveSmallIntegerField(
        _("members of the body"), default=0, help_text=_("Office holders on the day.")
    )
    present = models.PositiveSmallIntegerField(_("present"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=F("expected")), name="meeting_present_lte_expected"
            )
        ]
        indexes = [models.Index(fields=["term", "held_on"], name="meeting_term_held_idx")]

    def __str__(self):
        return f"{self.title} ({self.held_on})"

    @property
    def quorate(self) -> bool:
        """Quorum: at least two thirds of the body present."""
        return self.expected > 0 and self.present * 3 >= self.expected * 2


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_uniq")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.person}"


# -- Annual duty registration (ORG-05) ------------------------------------------------------


class DutyRegistration(models.Model):
    """What an office holder did in a year (年度履职登记)."""

    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="duty_registrations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("what I did this year"))
    filed_at = models.DateTimeField(pgettext_lazy("duty registration", "filed"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "person"]
        verbose_name = _("duty registration")
        verbose_name_plural = _("duty registrations")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="duty_person_year_uniq"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="duty_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.year}"


# -- Cadre–member contact log (ORG-10) ------------------------------------------------------


class ContactLog(models.Model):
    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone call")
        MESSAGE = "message", _("Message (WeChat, SMS)")
        MEETING = "meeting", _("Meeting or activity")
        OTHER = "other", _("Other")

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=200)
    problem = models.TextField(_("problem found"), blank=True)
    resolution = models.TextField(_("how it was solved"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = _("member contact")
        verbose_name_plural = _("member contact log")
        indexes = [
            models.Index(fields=["association", "-contacted_on"], name="contact_assoc_date_idx")
        ]

    def __str__(self):
        return f"{self.membership} · {self.contacted_on}"


auditlog.register(Meeting, exclude_fields=["created_at"])
auditlog.register(MeetingAttendance)
auditlog.register(DutyRegistration)
auditlog.register(ContactLog, exclude_fields=["created_at"])


# -- Group members (ORG-06), grassroots network (ORG-07), funding (ORG-09) ------------------


class GroupMember(models.Model):
    """A group member (团体会员): a school, industry or new art organisation."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        INDUSTRY = "industry", _("Industry organisation")
        NEW_ART = "new_art", _("New art organisation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    town = models.ForeignKey(
        Town, verbose_name=_("town or street"), on_delete=models.PROTECT, null=True, blank=True
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    joined_on = models.DateField(_("date of joining"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        return self.name


class GrassrootsOrganisation(models.Model):
    """A federation organisation in a town, street, school or enterprise."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town or street")
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    town = models.ForeignKey(
        Town,
        verbose_name=_("town or street"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["town__sort_order", "name"]
        verbose_name = _("grassroots organisation")
        verbose_name_plural = _("grassroots organisations")

    def __str__(self):
        return self.name


class Liaison(models.Model):
    """A part-time liaison (联络员) for a town without an organisation, or for a unit where
    members cluster."""

    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="liaison_posts",
    )
    town = models.ForeignKey(
        Town,
        verbose_name=_("town or street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
    )
    unit = models.CharField(
        _("unit"),
        max_length=100,
        blank=True,
        help_text=_("For a liaison in a work unit where members cluster."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["town__sort_order", "unit", "starts_on"]
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="liaison_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(town__isnull=False) | ~Q(unit=""),
                name="liaison_town_or_unit",
                violation_error_message=_("Give the town or street, or the unit."),
            ),
            models.UniqueConstraint(
                fields=["town"],
                condition=Q(ends_on__isnull=True, town__isnull=False),
                name="liaison_one_open_per_town",
                violation_error_message=_(
                    "This town already has a serving liaison; end that post first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.town or self.unit}"


class Funding(models.Model):
    """Budget, grant and spending of an association in a year (ORG-09)."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="funding",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    grant = models.DecimalField(_("grant (yuan)"), max_digits=12, decimal_places=2, default=0)
    spending = models.DecimalField(_("spending (yuan)"), max_digits=12, decimal_places=2, default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "association__sort_order"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"],
                name="funding_association_year_uniq",
                violation_error_message=_("This association already has funding for that year."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(grant__gte=0) & Q(spending__gte=0),
                name="funding_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.association} · {self.year}"


auditlog.register(GroupMember)
auditlog.register(GrassrootsOrganisation)
auditlog.register(Liaison)
auditlog.register(Funding)


# -- Performance appraisal (ORG-08) ---------------------------------------------------------


class Appraisal(models.Model):
    """A yearly appraisal of an association: survey figures entered by staff, the metrics
    and score frozen when staff finalise it, after the secretary has signed it off."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed off by the secretary")
        FINAL = "final", _("Final")

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    awareness = models.PositiveSmallIntegerField(_("public awareness (0–100)"), null=True)
    participation = models.PositiveSmallIntegerField(_("participation (0–100)"), null=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (0–100)"), null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    metrics = models.JSONField(_("metrics when finalised"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "association__sort_order"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"],
                name="appraisal_association_year_uniq",
                violation_error_message=_(
                    "This association already has an appraisal for that year."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(awareness__isnull=True) | Q(awareness__lte=100))
                & (Q(participation__isnull=True) | Q(participation__lte=100))
                & (Q(satisfaction__isnull=True) | Q(satisfaction__lte=100)),
                name="appraisal_survey_percent",
                violation_error_message=_("Survey figures are between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.association} · {self.year}"


auditlog.register(Appraisal)


# -- Congress and committee (ORG-04) --------------------------------------------------------


class Congress(models.Model):
    """A federation congress (代表大会), normally every five years."""

    number = models.PositiveSmallIntegerField(_("congress number"), unique=True)
    held_on = models.DateField(_("date held"))
    title = models.CharField(_("title"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")

    def __str__(self):
        return self.title or _("Congress %(number)s") % {"number": self.number}


class Delegate(models.Model):
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="delegates"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="delegate_seats",
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grassroots = models.BooleanField(
        _("grassroots or front-line creator"),
        default=False,
        help_text=_("Works at the grassroots or in front-line creation (基层一线)."),
    )

    class Meta:
        ordering = ["congress", "association__sort_order", "person__name_pinyin"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"],
                name="delegate_once_per_congress",
                violation_error_message=_("This person is already a delegate to that congress."),
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.congress}"


class CommitteeEvaluation(models.Model):
    """The yearly duty evaluation (履职评价) of a federation committee member."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        ADEQUATE = "adequate", _("Adequate")
        INADEQUATE = "inadequate", _("Inadequate")

    office = models.ForeignKey(
        Office,
        verbose_name=_("committee seat"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        limit_choices_to={"role": "committee_member"},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-year", "office"]
        verbose_name = _("committee duty evaluation")
        verbose_name_plural = _("committee duty evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"],
                name="evaluation_office_year_uniq",
                violation_error_message=_(
                    "This committee member is already evaluated for that year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.office.person} · {self.year}"


auditlog.register(Congress)
auditlog.register(Delegate)
auditlog.register(CommitteeEvaluation)
