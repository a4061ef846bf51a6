"""Demo sign-ins, one per role, for a local demonstration (DEBUG only).

The password is made at random when the accounts are first created and is printed then; the database
keeps only its hash, so later runs say so instead (use --reset-passwords for a new one). The commissioner
and administrator also get an authenticator app secret, printed each time, to add to a phone's
authenticator app, since their roles need two-factor authentication.
"""

import secrets

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from culturehub.accounts.models import Role, User
from culturehub.accounts.services import user_totp_ensure, user_verified_email_ensure

DEMO_DOMAIN = "demo.culturehub.test"
DEMO_USERS = [
    # email local part, role, name shown, extra fields
    ("admin", Role.ADMINISTRATOR, "Demo administrator", {"is_staff": True, "is_superuser": True}),
    ("commissioner", Role.COMMISSIONER, "Demo commissioner", {}),
    ("member", Role.MEMBER, "Demo cultural organisation member", {}),
    ("coordinator", Role.COORDINATOR, "Demo consortium coordinator", {}),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Create one demo sign-in per role (development only, DEBUG=1). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="give every demo sign-in a new random password and print it",
        )

    def handle(self, *args, reset_passwords=False, **options):
        if not getattr(settings, "DEMO_SIGN_INS_ENABLED", False):
            raise CommandError(
                "Demo sign-ins are for development only, and DEBUG is off. Run with DEBUG=1 on a "
                "development machine."
            )
        with transaction.atomic():
            users, any_created = self._ensure_users()
            password = None
            if any_created or reset_passwords:
                # One password for all four, so a new account never leaves the others unknown.
                password = secrets.token_urlsafe(12)
                for user in users:
                    user.set_password(password)
                    user.save(update_fields=["password"])
            secrets_by_email = {
                user.email: user_totp_ensure(user=user, secret=generate_totp_secret())
                for user in users
                if user.needs_two_factor
            }
        self._report(users, password, secrets_by_email)

    def _ensure_users(self) -> tuple[list[User], bool]:
        users, any_created = [], False
        for local_part, role, name, extra in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=demo_email(local_part),
                defaults={"role": role, "display_name": name, **extra},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            elif user.role != role:
                user.role = role
                user.save(update_fields=["role"])
            user_verified_email_ensure(user=user)
            users.append(user)
            any_created = any_created or created
        return users, any_created

    def _report(self, users, password, secrets_by_email):
        out = self.stdout
        out.write("Demo sign-ins (development only):")
        for user in users:
            out.write(f"  {user.get_role_display():<34} {user.email}")
        if password:
            out.write(f"Password for each: {password}")
            out.write("  (shown only now: the database keeps only its hash)")
        else:
            out.write("Password: set on first run; reset with --reset-passwords")
        if secrets_by_email:
            out.write("Two-factor authentication: add each key below to an authenticator app, then enter")
            out.write("the app's 6-digit code after the password when you sign in.")
            adapter = get_mfa_adapter()
            for user in users:
                if user.email in secrets_by_email:
                    out.write(f"  {user.email:<34} key {secrets_by_email[user.email]}")
                    out.write(f"    {adapter.build_totp_url(user, secrets_by_email[user.email])}")
