"""How allauth behaves for Culture Hub: plain-English messages, roles at sign-up, two-factor rules."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from culturehub.accounts.models import Role

# GOV.UK style: say what went wrong and how to put it right, without blaming the person.
ACCOUNT_MESSAGES = {
    "account_inactive": "This account has been closed. Contact an administrator if you think this is wrong.",
    "cannot_remove_primary_email": "You cannot remove your main email address. Make another one your main "
    "address first.",
    "duplicate_email": "This email address is already on your account.",
    "email_password_mismatch": "The email address or password is not correct. Check them and try again.",
    "enter_current_password": "Your current password is not correct. Check it and try again.",
    "incorrect_code": "The code is not correct. Check it and try again.",
    "incorrect_password": "The password is not correct. Check it and try again.",
    "invalid_or_expired_key": "This link has expired or is not valid. Ask for a new one.",
    "invalid_login": "The email address or password is not correct. Check them and try again.",
    "invalid_password_reset": "This password reset link has expired or has already been used. "
    "Ask for a new one.",
    "max_email_addresses": "You cannot add more than %d email addresses.",
    "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes, then try again, "
    "or reset your password.",
    "unknown_email": "There is no account with this email address.",
    "unverified_primary_email": "Confirm your main email address before you make this change.",
    "same_as_current": "Enter a different value from the current one.",
    "rate_limited": "You have made too many requests. Wait a few minutes, then try again.",
}

MFA_MESSAGES = {
    "add_email_blocked": "You cannot add an email address while two-factor authentication is on.",
    "cannot_delete_authenticator": "Your role needs two-factor authentication, so you cannot turn it off. "
    "If you have a new phone, ask an administrator to reset your two-factor authentication.",
    "cannot_generate_recovery_codes": "Set up an authenticator app before you create recovery codes.",
    "incorrect_code": "The code is not correct. Enter the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes.",
    "unverified_email": "Confirm your email address before you set up two-factor authentication.",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **ACCOUNT_MESSAGES}

    def save_user(self, request, user, form, commit=True):
        # Everyone who signs up is a member; only an administrator can give a wider role.
        user.role = Role.MEMBER
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Someone who entered their password (and code) a few minutes ago is not asked again: a
        # commissioner sent to set up two-factor straight after signing in goes straight there.
        if _authenticated_recently(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _authenticated_recently(request) -> bool:
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    return time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {**DefaultMFAAdapter.error_messages, **MFA_MESSAGES}

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Commissioners and administrators must keep their authenticator app.
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.needs_two_factor:
            return False
        return super().can_delete_authenticator(authenticator)
