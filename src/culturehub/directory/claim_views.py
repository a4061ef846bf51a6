"""Pages for claiming an unclaimed listing, confirming a claim by email, and reviewing claims.

As elsewhere, the views only read the request, call a selector or service, and render; nothing changes
on GET (mail scanners open links in emails).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from culturehub.core.forms import run_service
from culturehub.directory import claim_selectors, claim_services, selectors
from culturehub.directory.forms import ClaimDecisionForm, ClaimForm
from culturehub.directory.models import OrganisationClaim
from culturehub.directory.views import _page


@login_required
def organisation_claim(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    refusal = claim_selectors.claim_refusal(user=request.user, organisation=organisation)
    domain = claim_services.website_domain(organisation.website)
    form = ClaimForm(request.POST or None, domain=domain, initial={"email": request.user.email})
    if request.method == "POST" and not refusal:
        claim = run_service(
            form,
            lambda **values: claim_services.claim_start(
                user=request.user, organisation=organisation, **values
            ),
        )
        if claim is not None:
            if claim.method == OrganisationClaim.Method.EMAIL_DOMAIN:
                return redirect("directory:claim_sent", pk=claim.pk)
            messages.success(
                request,
                f"Claim sent. An administrator will check it and email you at {claim.claimant.email}.",
            )
            return redirect("directory:claim_list")
    limited = form.errors and not claim_services.claim_starts_left(user=request.user)
    return render(
        request,
        "directory/claims/claim_form.html",
        {"form": form, "organisation": organisation, "refusal": refusal, "domain": domain},
        status=429 if limited else 200,
    )


@login_required
def claim_sent(request, pk):
    """'Check your email', after a claim with an address at the organisation's domain."""
    claim = claim_selectors.claim_get(user=request.user, pk=pk)
    if claim.method != OrganisationClaim.Method.EMAIL_DOMAIN:
        raise Http404("This claim was not confirmed by email.")
    return render(
        request,
        "directory/claims/claim_sent.html",
        {"claim": claim, "hours": claim_services.TOKEN_HOURS},
    )


@login_required
def claim_verify(request, token):
    """The page the emailed link opens: GET asks, POST confirms."""
    claim = claim_selectors.claim_get_by_token(user=request.user, token=token)
    error = ""
    if request.method == "POST":
        try:
            claim_services.claim_verify_email(user=request.user, token=token)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"You are now the owner of {claim.organisation.name}’s listing.")
            return redirect("directory:organisation_detail", pk=claim.organisation_id)
    return render(request, "directory/claims/claim_verify.html", {"claim": claim, "error": error})


@login_required
def claim_list(request):
    """'Your claims'."""
    return render(
        request,
        "directory/claims/claim_list.html",
        {"page": _page(request, claim_selectors.claim_list_for_user(user=request.user))},
    )


@login_required
def claim_withdraw(request, pk):
    claim = claim_selectors.claim_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            claim_services.claim_withdraw(user=request.user, claim=claim)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, f"You withdrew your claim on {claim.organisation.name}.")
        return redirect("directory:claim_list")
    return render(request, "directory/claims/claim_withdraw.html", {"claim": claim})


@login_required
def claim_review_list(request):
    """The administrators' queue of claims to check, oldest first."""
    claims = claim_selectors.claim_list_for_review(user=request.user)
    return render(request, "directory/claims/claim_review_list.html", {"page": _page(request, claims)})


@login_required
def claim_decide(request, pk):
    claim = claim_selectors.claim_get_for_review(user=request.user, pk=pk)
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST":
        decided = run_service(
            form, lambda **values: claim_services.claim_decide(user=request.user, claim=claim, **values)
        )
        if decided is not None:
            verb = "approved" if decided.state == OrganisationClaim.State.APPROVED else "turned down"
            messages.success(request, f"Claim by {claim.claimant} on {claim.organisation.name} {verb}.")
            return redirect("directory:claim_review_list")
    return render(request, "directory/claims/claim_decide.html", {"claim": claim, "form": form})
