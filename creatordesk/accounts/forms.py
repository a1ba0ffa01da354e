from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import Role
from creatordesk.accounts.permissions import grantable_roles


class LoginForm(AuthenticationForm):
    """Django's sign-in form labelled for what people type: accounts sign in with their email address.

    The field keeps the name `username`, which django-axes reads to count failed sign-ins.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args: Any, grantor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the roles this person may grant are offered (and accepted); the service checks again.
        allowed = grantable_roles(grantor_role)
        field = cast("forms.ChoiceField", self.fields["role"])
        field.choices = [(value, label) for value, label in Role.choices if value in allowed]


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


API_TOKEN_LIFETIMES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=API_TOKEN_LIFETIMES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
