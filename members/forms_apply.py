"""Forms of the online application, the referee answer, the review and objections."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import mobile_validator
from associations.models import Association, Town
from portal.uploads import SanitizedFileField, SanitizedImageField

from . import idcard
from .models import (
    Application,
    ApplicationObjection,
    EducationLevel,
    EthnicGroup,
    PoliticalStatus,
)

CHOOSE = _("— please choose —")
WORK_SLOTS = 3
MAX_WORKS = 10


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        validators=[mobile_validator],
        help_text=_("You will log in with this number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("We send news about your application here."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not too common."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the statement on personal information above and agree to the "
            "processing of my personal information for my membership application."
        ),
        required=True,
        error_messages={
            "required": _(
                "Please tick the box to agree; without your consent we cannot store your data."
            )
        },
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        User = get_user_model()
        if User.objects.filter(Q(phone=phone) | Q(username__iexact=phone)).exists():
            raise ValidationError(
                _(
                    "This mobile number is already registered. Log in with it, or reset the "
                    "password if you have forgotten it."
                ),
                code="phone_taken",
            )
        return phone

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif p1:
            User = get_user_model()
            probe = User(username=data.get("phone", ""), full_name=data.get("name", ""))
            try:
                validate_password(p1, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ApplicationForm(forms.ModelForm):
    """The whole application on one page. Every field is optional for a draft; the
    completeness check runs when the applicant submits (members.services.application_check)."""

    id_number = forms.CharField(
        label=_("National ID number"),
        required=False,
        max_length=30,
        help_text=_("18 characters as printed on the ID card; stored encrypted."),
    )
    photo = SanitizedImageField(
        label=_("Recent photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB; a head-and-shoulders photo."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal information for my membership "
            "application (see the statement above)."
        ),
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            "association",
            "name",
            "pen_name",
            "gender",
            "ethnic_group",
            "birth_date",
            "phone",
            "email",
            "political_status",
            "education",
            "native_place",
            "work_unit",
            "job_title",
            "professional_title",
            "town",
            "art_categories",
            "in_system",
            "new_art_group",
            "bio",
            "referee1_name",
            "referee1_number",
            "referee2_name",
            "referee2_number",
            "work_links",
            "field_life",
            "statement",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "art_categories": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "bio": forms.Textarea(attrs={"rows": 4}),
            "work_links": forms.Textarea(attrs={"rows": 3}),
            "field_life": forms.Textarea(attrs={"rows": 4}),
            "statement": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "in_system": _("I work in a government body or public institution (体制内)"),
            "new_art_group": _("I belong to a new art group (新文艺群体)"),
        }
        help_texts = {
            "association": _("The association you want to join."),
            "referee1_number": _("As printed on the referee's membership card."),
            "referee2_number": _("As printed on the referee's membership card."),
            "work_links": _("Links to audio or video of your works, one per line."),
            "field_life": _("Where, when and what: field trips, stays in the countryside."),
            "statement": _("Why you want to join and what you will contribute."),
            "pen_name": _("Leave empty if you have none."),
        }

    def __init__(self, *args, need_consent=False, stored_id_number="", **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        # A saved ID number is never sent back to the browser in full (PIPL): the field stays
        # empty, shows the masked number, and an empty field keeps the saved one.
        self.stored_id_number = (
            stored_id_number or (self.instance.id_number if self.instance.pk else "") or ""
        )
        if self.stored_id_number:
            masked = idcard.mask_id_number(self.stored_id_number)
            f["id_number"].widget.attrs["placeholder"] = masked
            f["id_number"].help_text = _(
                "Saved: %(masked)s. Leave empty to keep it, or type the full number to change it."
            ) % {"masked": masked}
        f["association"].queryset = Association.objects.filter(
            status=Association.Status.ACTIVE
        ).order_by("sort_order", "id")
        f["ethnic_group"].queryset = EthnicGroup.objects.filter(active=True)
        f["political_status"].queryset = PoliticalStatus.objects.filter(active=True)
        f["education"].queryset = EducationLevel.objects.filter(active=True)
        f["town"].queryset = Town.objects.all()
        for name in ("association", "ethnic_group", "political_status", "education", "town"):
            f[name].empty_label = CHOOSE
        f["gender"].choices = [("", CHOOSE), *list(f["gender"].choices)[1:]]
        if self.instance.pk and self.instance.status != Application.Status.DRAFT:
            f["association"].disabled = True
            f["association"].help_text = _(
                "The association cannot be changed after the first submission."
            )
        self.initial["id_number"] = ""
        if not need_consent:
            del f["consent"]
        for slot in range(1, WORK_SLOTS + 1):
            f[f"work_title_{slot}"] = forms.CharField(
                label=_("Title of work %(n)s") % {"n": slot}, max_length=100, required=False
            )
            f[f"work_file_{slot}"] = SanitizedFileField(
                label=_("File of work %(n)s") % {"n": slot},
                required=False,
                help_text=_("PDF or image, at most 20 MB."),
            )
        if self.instance.pk:
            f["remove_works"] = forms.ModelMultipleChoiceField(
                label=_("Remove these uploaded works"),
                queryset=self.instance.works.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            f["remove_works"].label_from_instance = lambda w: w.title or _("untitled work")

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number", "") or self.stored_id_number
        if not raw:
            return ""
        info = idcard.validate_id_number(raw)
        self._id_info = info
        return info.number

    def clean(self):
        data = super().clean()
        info = getattr(self, "_id_info", None)
        if info is not None:
            try:
                idcard.check_id_matches(
                    info, birth_date=data.get("birth_date"), gender=data.get("gender") or None
                )
            except ValidationError as exc:
                field = "birth_date" if exc.code == "birth_date_mismatch" else "gender"
                if field in self.cleaned_data:
                    self.add_error(field, exc)
        existing = self.instance.works.count() if self.instance.pk else 0
        new = len(self.new_works())
        removed = len(data.get("remove_works") or [])
        if existing + new - removed > MAX_WORKS:
            raise ValidationError(
                _("At most %(max)s works can be uploaded; remove some first.") % {"max": MAX_WORKS},
                code="too_many_works",
            )
        return data

    def new_works(self):
        works = []
        for slot in range(1, WORK_SLOTS + 1):
            upload = self.cleaned_data.get(f"work_file_{slot}")
            if upload:
                works.append((self.cleaned_data.get(f"work_title_{slot}", ""), upload))
        return works

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["id_number"] = self.cleaned_data.get("id_number", "")
        if self.fields["association"].disabled:
            data.pop("association")
        return data


class RefereeResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("confirm", _("I confirm that I recommend this applicant")),
            ("decline", _("I decline")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("return", _("Return for revision")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required; the applicant sees it."),
        error_messages={"required": _("Please give the reason for your decision.")},
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, allow_return=True, approve_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(self.fields["decision"].choices)
        if approve_label:
            choices[0] = ("approve", approve_label)
        if not allow_return:
            choices = [c for c in choices if c[0] != "return"]
        self.fields["decision"].choices = choices


class ObjectionForm(forms.ModelForm):
    evidence = SanitizedFileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF or image, at most 20 MB."),
    )

    class Meta:
        model = ApplicationObjection
        fields = ["name", "contact", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "name": _("Anonymous objections are not accepted."),
            "contact": _("Telephone number or address."),
            "content": _("What is wrong, and the facts or documents that show it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact", "content"):
            self.fields[name].required = False  # the service says what is missing


class ObjectionOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ApplicationObjection.Outcome.DISMISSED, _("Dismiss the objection")),
            (ApplicationObjection.Outcome.UPHELD, _("Uphold it (the application is rejected)")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give the reason for the outcome.")},
    )
