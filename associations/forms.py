"""Forms of the governance pages: input checks only; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Membership

from .models import BODY_ROLES, ContactLog, Term


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _member_by_number(number: str, association=None) -> Membership:
    """The membership with this member number (or former number), in ``association`` when
    given."""
    number = (number or "").strip()
    qs = Membership.objects.select_related("person", "person__user", "association")
    if association is not None:
        qs = qs.filter(association=association)
    found = qs.filter(number=number).first() or qs.filter(legacy_number=number).first()
    if found is None:
        if association is not None:
            raise forms.ValidationError(
                _("No member of %(association)s has the number %(number)s. Check the number.")
                % {"association": association.name, "number": number}
            )
        raise forms.ValidationError(
            _("No member has the number %(number)s. Check the number.") % {"number": number}
        )
    return found


class TermForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="term")
    number = forms.IntegerField(label=_("Term number"), min_value=1, max_value=99)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        help_text=_("The day the term ends (usually five years after the start)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppointForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="appoint")
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())
    member_number = forms.CharField(
        label=_("Member number"),
        max_length=40,
        help_text=_("The member number of the person to appoint."),
    )
    role = forms.ChoiceField(label=_("Office"))
    starts_on = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the start of the term."),
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the end of the term."),
    )
    cadre = forms.BooleanField(label=_("Party or government cadre"), required=False)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed for a cadre, or a person over the age limit, as chair, vice-chair or "
            "secretary-general."
        ),
    )

    def __init__(self, *args, terms, body, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["term"].queryset = terms
        self.fields["role"].choices = [(r.value, r.label) for r in BODY_ROLES[body]]

    def clean_member_number(self):
        self.membership = _member_by_number(self.cleaned_data["member_number"], self.association)
        return self.cleaned_data["member_number"]


class EndOfficeForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="end")
    office = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = forms.DateField(label=_("End date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RemoveOfficeForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="remove")
    office = forms.IntegerField(widget=forms.HiddenInput)


class DutyForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    text = forms.CharField(
        label=_("What I did in my office this year"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].choices = [(year, year), (year - 1, year - 1)]
        self.fields["year"].initial = year


class ContactForm(forms.ModelForm):
    member_number = forms.CharField(label=_("Member number"), max_length=40)

    class Meta:
        model = ContactLog
        fields = ["contacted_on", "channel", "topic", "problem", "resolution"]
        widgets = {
            "contacted_on": DateInput(),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["member_number", "contacted_on", "channel", "topic", "problem", "resolution"]

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["contacted_on"].initial = timezone.localdate()

    def clean_member_number(self):
        self.membership = _member_by_number(self.cleaned_data["member_number"], self.association)
        return self.cleaned_data["member_number"]


class MeetingForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())
    held_on = forms.DateField(label=_("Date held"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=100)
    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the office holders who attended."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, terms, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["present"].choices = [(str(p.id), p.name) for p in holders]
        self.fields["held_on"].initial = timezone.localdate()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("A meeting can only be recorded once it has taken place.")
            )
        return held_on


class SurveyForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="survey")
    association = forms.CharField(widget=forms.HiddenInput)
    awareness = forms.IntegerField(label=_("Public awareness (0–100)"), min_value=0, max_value=100)
    participation = forms.IntegerField(label=_("Participation (0–100)"), min_value=0, max_value=100)
    satisfaction = forms.IntegerField(label=_("Satisfaction (0–100)"), min_value=0, max_value=100)
