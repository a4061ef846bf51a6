"""Writes about accounts: who may change roles and access, and the set-up of demo sign-ins."""

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import transaction

from culturehub.accounts.models import Role, User
from culturehub.core.permissions import is_administrator, require


def user_access_problems(*, actor, user) -> dict[str, str]:
    """What is wrong with the role and access `user` would have after `actor` saves it, by field."""
    problems = {}
    if user.role not in Role.values:
        problems["role"] = "Choose a role from the list"
    if user.is_staff and user.role != Role.ADMINISTRATOR:
        problems["is_staff"] = "Only administrators can use the admin site: choose the Administrator role, " \
            "or untick staff access"
    if actor.pk is not None and actor.pk == user.pk:
        # An administrator who removes their own access cannot undo it: another administrator must.
        if user.role != Role.ADMINISTRATOR and not user.is_superuser:
            problems["role"] = "You cannot remove your own administrator role. Ask another administrator"
        if not user.is_active:
            problems["is_active"] = "You cannot close your own account here. Ask another administrator"
        if not user.is_staff:
            problems["is_staff"] = "You cannot remove your own admin site access. Ask another administrator"
    return problems


@transaction.atomic
def user_save_access(*, actor, user: User) -> User:
    """Saves a person's details, role and access as changed by an administrator (the admin site).

    The audit trail (django-auditlog) records the change and who made it.
    """
    require(is_administrator(actor), "Only administrators can change roles and access.")
    problems = user_access_problems(actor=actor, user=user)
    if problems:
        raise ValidationError(problems)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_verified_email_ensure(*, user: User) -> EmailAddress:
    """Records the person's email address as verified and primary (for accounts made by the service,
    such as the demo sign-ins, whose address nobody needs to confirm)."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


def user_totp_ensure(*, user: User, secret: str) -> str:
    """Gives the person an authenticator with `secret` unless they have one; returns the secret in use."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return get_mfa_adapter().decrypt(existing.data["secret"])
    TOTP.activate(user, secret)
    return secret
