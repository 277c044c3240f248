from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The user name (or mobile number) and password do not match. Check them and try "
            "again; the password is case-sensitive."
        ),
        "inactive": _("This account has been disabled. Please contact the federation office."),
    }
