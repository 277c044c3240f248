from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Send me e-mail"),
        required=False,
        help_text=_("Reminders also go to the e-mail address of your account."),
    )
    sms = forms.BooleanField(
        label=_("Send me text messages (SMS)"),
        required=False,
        help_text=_("Reminders also go to the mobile number of your account."),
    )
