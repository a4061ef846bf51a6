"""Reading claims on unclaimed listings, with who may see what.

- A listing is unclaimed while no one is a member of it (those seeded from public registers start so).
- Members and coordinators may claim a published, unclaimed listing. Commissioners may not: they buy
  from these organisations, so owning a supplier's listing would blur the two roles. Administrators
  already change every listing and have nothing to claim.
- A claim is seen by the person who made it and by administrators; no one else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from culturehub.core.permissions import is_administrator, is_commissioner, require
from culturehub.directory.models import Organisation, OrganisationClaim, OrganisationMembership, Status

NOT_FOUND = "There is no such claim."
REVIEW_ONLY = "Only administrators can review claims."
_CLAIM_RELATED = ("organisation", "claimant", "decided_by")


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def token_hash(token: str) -> str:
    """How a claim's emailed token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def organisation_is_unclaimed(*, organisation: Organisation) -> bool:
    return not OrganisationMembership.objects.filter(organisation=organisation).exists()


ALREADY_CLAIMED = "You have already claimed this listing. Your claim is waiting; see ‘Your claims’."


def _refusal_by_role_and_listing(user, organisation: Organisation, unclaimed: bool | None) -> str:
    if not _signed_in(user):
        return "Sign in to claim this listing."
    if is_administrator(user):
        return "Administrators can already change every listing, so there is nothing to claim."
    if is_commissioner(user):
        return (
            "Commissioners cannot claim an organisation’s listing. Ask someone at the organisation to "
            "claim it."
        )
    if organisation.is_example:
        return "This is an example listing made up to show the service; it cannot be claimed."
    if organisation.status != Status.PUBLISHED:
        return "Only published listings can be claimed."
    if unclaimed is None:
        unclaimed = organisation_is_unclaimed(organisation=organisation)
    if not unclaimed:
        return "This listing already has an owner. Ask them to add you as an editor."
    return ""


def claim_refusal(*, user, organisation: Organisation) -> str:
    """Why the user may not claim the listing, in words they can act on; empty when they may."""
    refusal = _refusal_by_role_and_listing(user, organisation, None)
    if not refusal and claim_pending_for(user=user, organisation=organisation) is not None:
        return ALREADY_CLAIMED
    return refusal


@dataclass
class ClaimStatus:
    """What the organisation page says about claiming: whether anyone looks after the listing yet, the
    viewer's own waiting claim, and why they may not claim (empty when they may)."""

    unclaimed: bool
    own_claim: OrganisationClaim | None
    refusal: str


def claim_status(*, user, organisation: Organisation) -> ClaimStatus:
    """For the organisation page, in at most two queries. Demo examples have no members but are not
    there to be claimed, so the page says nothing about claiming them."""
    unclaimed = not organisation.is_example and organisation_is_unclaimed(organisation=organisation)
    refusal = _refusal_by_role_and_listing(user, organisation, unclaimed)
    own = claim_pending_for(user=user, organisation=organisation) if unclaimed and not refusal else None
    return ClaimStatus(unclaimed=unclaimed, own_claim=own, refusal=ALREADY_CLAIMED if own else refusal)


def claim_pending_for(*, user, organisation: Organisation) -> OrganisationClaim | None:
    """The user's own waiting claim on the listing, if any (one whose link expired does not count)."""
    if not _signed_in(user):
        return None
    live = Q(token_expires_at__isnull=True) | Q(token_expires_at__gt=timezone.now())
    return OrganisationClaim.objects.filter(
        live, organisation=organisation, claimant=user, state=OrganisationClaim.State.PENDING
    ).first()


def claim_can_view(*, user, claim: OrganisationClaim) -> bool:
    return is_administrator(user) or (_signed_in(user) and claim.claimant_id == user.pk)


def claim_list_for_user(*, user) -> QuerySet[OrganisationClaim]:
    """The claims the user has made, newest first ('Your claims')."""
    if not _signed_in(user):
        return OrganisationClaim.objects.none()
    return OrganisationClaim.objects.filter(claimant=user).select_related("organisation", "decided_by")


def claim_list_for_review(*, user) -> QuerySet[OrganisationClaim]:
    """Claims waiting for an administrator, oldest first so none is left behind. Administrators only."""
    require(is_administrator(user), REVIEW_ONLY)
    return (
        OrganisationClaim.objects.filter(
            state=OrganisationClaim.State.PENDING, method=OrganisationClaim.Method.ADMINISTRATOR
        )
        .select_related("organisation", "claimant")
        .order_by("created_at", "pk")
    )


def claim_get(*, user, pk) -> OrganisationClaim:
    """The claim, for its claimant or an administrator: Http404 when there is none, PermissionDenied
    for anyone else."""
    claim = OrganisationClaim.objects.select_related(*_CLAIM_RELATED).filter(pk=pk).first()
    if claim is None:
        raise Http404(NOT_FOUND)
    if not claim_can_view(user=user, claim=claim):
        raise PermissionDenied("Only the person who made a claim and administrators can see it.")
    return claim


def claim_get_for_review(*, user, pk) -> OrganisationClaim:
    """A claim for an administrator to decide on. Administrators only."""
    require(is_administrator(user), REVIEW_ONLY)
    return claim_get(user=user, pk=pk)


def claim_get_by_token(*, user, token: str) -> OrganisationClaim:
    """The email-domain claim a link's token belongs to, whatever its state (the page says if it is
    used or expired). Http404 for an unknown token; PermissionDenied for anyone but the claimant."""
    claim = None
    if token:
        claim = (
            OrganisationClaim.objects.select_related(*_CLAIM_RELATED)
            .filter(token_hash=token_hash(token), method=OrganisationClaim.Method.EMAIL_DOMAIN)
            .first()
        )
    if claim is None:
        raise Http404("This link is not recognised. Check you copied all of it from the email.")
    if not (_signed_in(user) and claim.claimant_id == user.pk):
        raise PermissionDenied("Sign in with the account that made this claim to confirm it.")
    return claim
