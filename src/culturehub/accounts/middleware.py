"""Commissioners and administrators must set up two-factor authentication before anything else."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/cookies/", "/accessibility/")


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_two_factor
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and not has_two_factor(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
