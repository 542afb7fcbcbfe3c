"""Account forms: only the fields that are needed, B1-level labels and help."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform import forms as platform_forms
from buurtbasis.platform.forms import TextSafetyMixin

from .models import User

PASSWORD_HELP = _("At least 8 characters. Not only numbers and not an easy password.")


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in a valid e-mail address, like name@example.nl."),
        },
        **kwargs,
    )


def normalise_email(value: str) -> str:
    """Trim and lower-case an e-mail address.

    >>> normalise_email("  Fatima.Bakker@Example.NL ")
    'fatima.bakker@example.nl'
    """
    return value.strip().lower()


class RegistrationForm(platform_forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Other people see this name, for example with your initiative."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Fill in your name.")},
    )
    email = email_field(help_text=_("We send you an e-mail to check this address."))
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Choose a password.")},
    )

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "There is already an account with this e-mail address. "
                    "Log in, or ask for a new password if you forgot it."
                ),
                code="exists",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                email=cleaned.get("email") or "", display_name=cleaned.get("display_name") or ""
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(TextSafetyMixin, AuthenticationForm):
    """Log in with e-mail address and password."""

    username = email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Fill in your password.")},
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is not right. Check them and try again."
        ),
        "inactive": _("This account is not active."),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])


class ResetRequestForm(TextSafetyMixin, PasswordResetForm):
    email = email_field()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Send the reset link through the platform's notifications (queued, in the
        person's language) instead of Django's direct ``send_mail``."""
        from django.utils import translation

        from buurtbasis.platform.notifications import notify

        notify(
            context["user"],
            "accounts.password_reset",
            {key: context[key] for key in ("user", "protocol", "domain", "uid", "token")},
            language=translation.get_language() or "",
        )


class NewPasswordForm(TextSafetyMixin, SetPasswordForm):
    """Set a new password after a reset link. The link proves the e-mail address works."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        help_text=_("Type the same password again, to avoid typing errors."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email_verified = True
        if commit:
            user.save()
        return user


class ChangePasswordForm(TextSafetyMixin, PasswordChangeForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = NewPasswordForm.base_fields["new_password1"]
    new_password2 = NewPasswordForm.base_fields["new_password2"]

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": _("Your current password is not right. Try again."),
    }


class ProfileForm(platform_forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": _("Your name")}
        help_texts = {
            "display_name": _("Other people see this name, for example with your initiative.")
        }


class CurrentPasswordForm(platform_forms.Form):
    """A form for a signed-in person that asks their password again, to be sure it is them."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To be sure it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Fill in your password.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This password is not right. Try again."), code="password_incorrect"
            )
        return password


class DeleteAccountForm(CurrentPasswordForm):
    confirm = forms.BooleanField(
        label=_("Yes, delete my account. I know this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EmailChangeForm(CurrentPasswordForm):
    new_email = email_field(
        help_text=_("We send a link to this address. Your address changes when you click it.")
    )
    field_order = ["new_email", "password"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["new_email"].label = _("New e-mail address")

    def clean_new_email(self) -> str:
        email = normalise_email(self.cleaned_data["new_email"])
        if email == self.user.email.lower():
            raise forms.ValidationError(_("This is already your e-mail address."), code="same")
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account with this e-mail address."), code="exists"
            )
        return email
