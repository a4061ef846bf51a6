from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from culturehub.accounts.selectors import user_has_two_factor, user_recent_changes


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "has_two_factor": user_has_two_factor(user=request.user),
            "recent_changes": user_recent_changes(user=request.user),
        },
    )


def too_many_requests(request, exception=None):
    """allauth answers with this when a rate limit is hit (it looks up ROOT_URLCONF.handler429)."""
    return render(request, "account/429.html", status=429)
