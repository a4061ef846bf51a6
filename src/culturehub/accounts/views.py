from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from culturehub.accounts.middleware import has_two_factor


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {"has_two_factor": has_two_factor(request.user)},
    )
