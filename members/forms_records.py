"""Forms of identity change requests (MEM-05) and discipline decisions (MEM-06).

The forms only shape the input; every rule (ID number checks, transitions, the council vote
for an expulsion) is applied by the services in members.services."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.uploads import SanitizedFileField

from .models import DisciplineDecision, EthnicGroup, Gender

DOCUMENT_HELP = _("A PDF or an image (JPEG, PNG, WebP, GIF), at most 20 MB.")


class IdentityChangeForm(forms.Form):
    """Leave a field empty to keep the current value."""

    new_name = forms.CharField(label=_("New full name"), max_length=50, required=False)
    new_id_number = forms.CharField(
        label=_("New national ID number"),
        max_length=30,
        required=False,
        help_text=_("18 characters; the last one may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    new_gender = forms.ChoiceField(
        label=_("New gender"),
        required=False,
        choices=[("", _("— unchanged —")), *Gender.choices],
    )
    new_birth_date = forms.DateField(
        label=_("New date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 1980-05-17."),
    )
    new_ethnic_group = forms.ModelChoiceField(
        label=_("New ethnic group"),
        required=False,
        queryset=EthnicGroup.objects.filter(active=True),
        empty_label=_("— unchanged —"),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. the name was changed at the police station, or a typing error."),
    )
    evidence = SanitizedFileField(
        label=_("Supporting document"),
        required=False,
        help_text=format_lazy(
            "{} {}",
            _("Optional: a scan of the ID card or of the official certificate."),
            DOCUMENT_HELP,
        ),
    )


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and change the record")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member sees this reason."),
    )


class DisciplineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=DisciplineDecision.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(
        label=_("Date of decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decider = forms.CharField(
        label=_("Decided by (body)"),
        max_length=100,
        help_text=_("E.g. the association council, the presidium."),
    )
    council_resolution = forms.CharField(
        label=_("Council vote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for an expulsion: date and result of the council vote."),
    )
    attachment = SanitizedFileField(
        label=_("Attachment"),
        required=False,
        help_text=format_lazy(
            "{} {}", _("Optional: the written decision or the minutes."), DOCUMENT_HELP
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for leaving"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my membership ends today and cannot simply be resumed."),
    )
