"""Commissioners and administrators must set up two-factor authentication before anything else.

Until they have an authenticator app, every page outside the account pages sends them to set one up.
Signing in itself is not affected: allauth asks for the code during sign-in once they have one.
"""

from django.shortcuts import redirect

from culturehub.accounts.selectors import user_has_two_factor

# Account pages (sign out, set up two-factor, confirm email) and pages with no personal data.
ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/cookies/", "/accessibility/")


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
            and not user_has_two_factor(user=user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
