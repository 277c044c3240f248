"""Forms of the member's self-service contact page and of the public certificate check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import Town
from portal.uploads import SanitizedImageField

from .models import Person

CONTACT_FORM_FIELDS = [
    "phone",
    "email",
    "address",
    "work_unit",
    "job_title",
    "professional_title",
    "town",
    "pen_name",
    "bio",
    "representative_works",
]


class PersonContactForm(forms.ModelForm):
    """Contact details a member changes directly. Identity fields are not in this form, so
    posting them changes nothing."""

    photo = SanitizedImageField(
        label=_("New photo"),
        required=False,
        help_text=_(
            "A recent head-and-shoulders photo, JPEG, PNG, WebP or GIF, at most 10 MB. "
            "It is re-encoded and its location and camera data are removed."
        ),
    )

    class Meta:
        model = Person
        fields = CONTACT_FORM_FIELDS
        widgets = {
            "phone": forms.TextInput(
                attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "bio": forms.Textarea(attrs={"rows": 5}),
            "representative_works": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "phone": _("11 digits, starting with 13 to 19."),
            "representative_works": _("One work per line: title, year, where published or shown."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.order_by("sort_order", "id")
        self.fields["town"].empty_label = _("— not given —")

    def contact_changes(self) -> dict:
        """Cleaned values of the fields that changed, plus a new photo if one was sent."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name != "photo"}
        if self.cleaned_data.get("photo"):
            changes["photo"] = self.cleaned_data["photo"]
        return changes


class CertificateLookupForm(forms.Form):
    """Check a certificate by its member number and the holder's full name."""

    number = forms.CharField(
        label=_("Member number"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. AL-ZJ-2026-0001."),
    )
    name = forms.CharField(
        label=_("Full name of the holder"),
        max_length=50,
        help_text=_("The full name exactly as printed on the certificate."),
    )

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split())

    def clean_name(self):
        return "".join(self.cleaned_data["name"].split())
