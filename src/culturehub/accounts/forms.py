"""allauth's forms with GOV.UK wording and styling.

allauth keeps every behaviour (rate limits, enumeration prevention, password checks); these subclasses
only give each field a sentence-case label, a hint where it helps, error messages that say how to fix
the problem, and no placeholders (GOV.UK Frontend: placeholders are not labels and vanish on typing).
"""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms

from culturehub.core.forms import GovukFormMixin

EMAIL = {
    "label": "Email address",
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "attrs": {"spellcheck": "false", "autocomplete": "email"},
}
CURRENT_PASSWORD = {"label": "Password", "required": "Enter your password", "hint": ""}
NEW_PASSWORD = {
    "label": "Create a password",
    "hint": "Use at least 12 characters. Do not use a common password, only numbers, or something "
    "close to your email address.",
    "required": "Enter a password",
    "attrs": {"autocomplete": "new-password"},
}
CONFIRM_PASSWORD = {
    "label": "Confirm your password",
    "required": "Enter the password again",
    "attrs": {"autocomplete": "new-password"},
}
CODE = {
    "label": "Code from your authenticator app",
    "hint": "The 6-digit code your app shows now. If you cannot use your app, enter one of your "
    "recovery codes.",
    "required": "Enter the code from your authenticator app",
    "attrs": {
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "spellcheck": "false",
        "class": "govuk-input--width-10",
    },
}


class GovukWordingMixin:
    """Applies `wording` (field name to label, hint, required/invalid messages and widget attributes)
    after allauth has built its fields, and before GovukFormMixin adds the GOV.UK classes."""

    wording: dict[str, dict] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            spec = self.wording.get(name)
            if not spec:
                continue
            field.label = spec.get("label", field.label)
            if "hint" in spec:
                field.help_text = spec["hint"]
            for key in ("required", "invalid"):
                if key in spec:
                    field.error_messages[key] = spec[key]
            field.widget.attrs.update(spec.get("attrs", {}))


class LoginForm(GovukFormMixin, GovukWordingMixin, account_forms.LoginForm):
    wording = {
        "login": EMAIL,
        "password": {**CURRENT_PASSWORD, "attrs": {"autocomplete": "current-password"}},
    }


class SignupForm(GovukFormMixin, GovukWordingMixin, account_forms.SignupForm):
    wording = {"email": EMAIL, "password1": NEW_PASSWORD, "password2": CONFIRM_PASSWORD}


class AddEmailForm(GovukFormMixin, GovukWordingMixin, account_forms.AddEmailForm):
    wording = {"email": {**EMAIL, "label": "New email address", "required": "Enter the new email address"}}


class ChangePasswordForm(GovukFormMixin, GovukWordingMixin, account_forms.ChangePasswordForm):
    wording = {
        "oldpassword": {
            "label": "Current password",
            "hint": "",
            "required": "Enter your current password",
            "attrs": {"autocomplete": "current-password"},
        },
        "password1": {**NEW_PASSWORD, "label": "New password", "required": "Enter a new password"},
        "password2": {**CONFIRM_PASSWORD, "label": "Confirm your new password"},
    }


class SetPasswordForm(GovukFormMixin, GovukWordingMixin, account_forms.SetPasswordForm):
    wording = {"password1": NEW_PASSWORD, "password2": CONFIRM_PASSWORD}


class ResetPasswordForm(GovukFormMixin, GovukWordingMixin, account_forms.ResetPasswordForm):
    wording = {"email": {**EMAIL, "hint": "The address you use to sign in to Culture Hub."}}


class ResetPasswordKeyForm(GovukFormMixin, GovukWordingMixin, account_forms.ResetPasswordKeyForm):
    wording = {
        "password1": {**NEW_PASSWORD, "label": "New password", "required": "Enter a new password"},
        "password2": {**CONFIRM_PASSWORD, "label": "Confirm your new password"},
    }


class ReauthenticateForm(GovukFormMixin, GovukWordingMixin, account_forms.ReauthenticateForm):
    wording = {"password": {**CURRENT_PASSWORD, "attrs": {"autocomplete": "current-password"}}}


class MFAAuthenticateForm(GovukFormMixin, GovukWordingMixin, mfa_base_forms.AuthenticateForm):
    wording = {"code": CODE}


class MFAReauthenticateForm(GovukFormMixin, GovukWordingMixin, mfa_base_forms.ReauthenticateForm):
    wording = {"code": CODE}


class ActivateTOTPForm(GovukFormMixin, GovukWordingMixin, mfa_totp_forms.ActivateTOTPForm):
    wording = {
        "code": {
            **CODE,
            "label": "Code from your authenticator app",
            "hint": "After you add Culture Hub to your app, it shows a 6-digit code. Enter it here.",
        }
    }

