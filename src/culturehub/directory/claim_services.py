"""Claiming an unclaimed listing: by an email address at the organisation's web domain, or by asking
an administrator.

Each function checks who may act (PermissionDenied) and the values (ValidationError keyed by field,
in GOV.UK wording) before it saves. django-auditlog records every change to a claim.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from publicsuffixlist import PublicSuffixList

from culturehub.core.audit import audit_actor_record
from culturehub.core.links import site_url
from culturehub.core.permissions import is_administrator, require
from culturehub.directory import emails
from culturehub.directory.claim_selectors import (
    REVIEW_ONLY,
    claim_get_by_token,
    claim_refusal,
    organisation_is_unclaimed,
    token_hash,
)
from culturehub.directory.models import Organisation, OrganisationClaim, OrganisationMembership

TOKEN_HOURS = 48
TOKEN_LIFETIME = timedelta(hours=TOKEN_HOURS)
# Enough for someone who mistyped an address a few times; too few to mail-bomb an organisation.
STARTS_PER_HOUR = 5
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
EVIDENCE_MAX = 2000
REASON_MAX = 2000

# Addresses anyone can open, and hosts many organisations share for a web page. An address or website
# there proves nothing about who runs an organisation, so they never match.
SHARED_DOMAINS = frozenset({
    "aol.co.uk", "aol.com", "blueyonder.co.uk", "btinternet.com", "btopenworld.com", "fastmail.com",
    "gmail.com", "gmx.co.uk", "gmx.com", "googlemail.com", "hey.com", "hotmail.co.uk", "hotmail.com",
    "icloud.com", "live.co.uk", "live.com", "mac.com", "mail.com", "me.com", "msn.com", "ntlworld.com",
    "outlook.com", "proton.me", "protonmail.com", "sky.com", "talktalk.net", "tiscali.co.uk",
    "virginmedia.com", "yahoo.co.uk", "yahoo.com", "ymail.com", "zoho.com",
    "facebook.com", "instagram.com", "linktr.ee", "twitter.com", "x.com", "google.com",
})
PENDING = OrganisationClaim.State.PENDING


@lru_cache(maxsize=1)
def _public_suffixes() -> PublicSuffixList:
    # The list ships inside the package; reading it takes a moment, so once per process.
    return PublicSuffixList()


def registrable_domain(host: str) -> str:
    """The part of a host name an organisation registers ('www.arts.org.uk' -> 'arts.org.uk'); empty
    for a host that has none (an IP address, 'localhost', a bare public suffix)."""
    host = (host or "").strip().lower().rstrip(".")
    if not host or host.replace(".", "").isdigit():
        return ""
    return _public_suffixes().privatesuffix(host) or ""


def website_domain(website: str) -> str:
    """The registrable domain of an organisation's website, or empty when it cannot prove anything."""
    text = (website or "").strip()
    if text and "//" not in text:
        text = f"https://{text}"
    domain = registrable_domain(urlsplit(text).hostname or "")
    return "" if domain in SHARED_DOMAINS else domain


def email_matches_website(email: str, website: str) -> bool:
    """Whether the address is at the website's domain or a subdomain of it (never a free-mail one)."""
    domain = website_domain(website)
    host = email.rpartition("@")[2]
    return bool(domain) and registrable_domain(host) == domain


# ---------------------------------------------------------------------------------------------------
# Starting a claim
# ---------------------------------------------------------------------------------------------------


def _rate_key(user) -> str:
    return f"directory:claim-starts:{user.pk}"


def claim_starts_left(*, user) -> int:
    """How many more claims the user may start this hour."""
    return max(0, STARTS_PER_HOUR - cache.get(_rate_key(user), 0))


def _check_rate(user) -> None:
    if not claim_starts_left(user=user):
        raise ValidationError(
            f"You have started {STARTS_PER_HOUR} claims in the last hour. Wait an hour, then try again"
        )


def _count_start(user) -> None:
    # The window opens with the first claim and lasts an hour; add() leaves a running count alone.
    cache.add(_rate_key(user), 0, timeout=3600)
    try:
        cache.incr(_rate_key(user))
    except ValueError:  # expired between the two calls
        cache.set(_rate_key(user), 1, timeout=3600)


def _claim_values(organisation: Organisation, email: str, evidence: str) -> tuple[str, str, str]:
    """(cleaned email, cleaned evidence, method), or a ValidationError naming each problem."""
    email, evidence = (email or "").strip().lower(), (evidence or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [EMAIL_MESSAGE if email else "Enter your email address at the organisation"]
    method = OrganisationClaim.Method.ADMINISTRATOR
    if "email" in errors:
        pass  # which way the claim goes depends on a valid address
    elif email_matches_website(email, organisation.website):
        method = OrganisationClaim.Method.EMAIL_DOMAIN
    elif not evidence:
        domain = website_domain(organisation.website)
        at = f"at {domain}, the domain of its website" if domain else "at a domain we can check"
        errors["evidence"] = [
            f"Your email address is not {at}, so an administrator will check your claim: say how you are "
            "connected to the organisation and how we can confirm it"
        ]
    if len(evidence) > EVIDENCE_MAX:
        errors["evidence"] = [f"Evidence must be {EVIDENCE_MAX} characters or fewer"]
    if errors:
        raise ValidationError(errors)
    return email, evidence, method


def _close_expired(user, organisation: Organisation) -> None:
    """Withdraw the user's own claim whose link expired unused, so that a new one can take its place."""
    for claim in OrganisationClaim.objects.filter(
        organisation=organisation, claimant=user, state=PENDING, token_expires_at__lte=timezone.now()
    ):
        claim.state, claim.reason = OrganisationClaim.State.WITHDRAWN, "The link expired before it was used."
        claim.save()


def _verification_url(token: str) -> str:
    return site_url(reverse("directory:claim_verify", args=[token]))


@transaction.atomic
def claim_start(*, user, organisation: Organisation, email: str, evidence: str = "") -> OrganisationClaim:
    """Claim an unclaimed, published listing. An address at the organisation's web domain gets a link
    to confirm it; any other claim waits for an administrator, who reads the evidence."""
    refusal = claim_refusal(user=user, organisation=organisation)
    require(not refusal, refusal)
    _check_rate(user)
    email, evidence, method = _claim_values(organisation, email, evidence)
    started = timezone.now()
    _close_expired(user, organisation)
    claim = OrganisationClaim(
        organisation=organisation, claimant=user, method=method, email=email, evidence=evidence
    )
    token = ""
    if method == OrganisationClaim.Method.EMAIL_DOMAIN:
        token = secrets.token_urlsafe(32)
        claim.token_hash = token_hash(token)
        claim.token_expires_at = started + TOKEN_LIFETIME
    claim.save()
    _count_start(user)
    audit_actor_record(records=[claim], user=user, since=started)
    if token:
        # Last, so a failure to send rolls the claim back rather than leaving one no link can confirm.
        emails.claim_verification_send(
            claim=claim, verify_url=_verification_url(token), valid_for_hours=TOKEN_HOURS
        )
    return claim


# ---------------------------------------------------------------------------------------------------
# Confirming, deciding, withdrawing
# ---------------------------------------------------------------------------------------------------


def _grant(claim: OrganisationClaim, *, state: str, decided_by=None, reason: str = "") -> None:
    """Make the claimant the owner; turn down the others' waiting claims on the same listing."""
    now = timezone.now()
    claim.state, claim.decided_at, claim.decided_by, claim.reason = state, now, decided_by, reason
    claim.save()
    OrganisationMembership.objects.create(
        organisation=claim.organisation, user=claim.claimant, role=OrganisationMembership.Role.OWNER
    )
    for other in claim.organisation.claims.filter(state=PENDING).exclude(pk=claim.pk):
        other.state, other.decided_at = OrganisationClaim.State.REJECTED, now
        other.reason = "Someone else’s claim on this listing was confirmed first."
        other.save()


def _require_still_unclaimed(claim: OrganisationClaim) -> None:
    if not organisation_is_unclaimed(organisation=claim.organisation):
        raise ValidationError(
            "Someone else has claimed this listing since. Ask its owner to add you as an editor"
        )


@transaction.atomic
def claim_verify_email(*, user, token: str) -> OrganisationClaim:
    """Confirm an email-domain claim from the emailed link: the claimant becomes the listing's owner.

    The link works once, for 48 hours, and only for the person who made the claim (signed in)."""
    claim = claim_get_by_token(user=user, token=token)
    if claim.state != PENDING:
        state = claim.get_state_display().lower()
        raise ValidationError(f"This link has already been used: the claim is {state}")
    if claim.is_expired:
        raise ValidationError("This link has expired. Claim the listing again to get a new link")
    _require_still_unclaimed(claim)
    started = timezone.now()
    _grant(claim, state=OrganisationClaim.State.VERIFIED)
    audit_actor_record(records=claim.organisation.claims.all(), user=user, since=started)
    return claim


@transaction.atomic
def claim_decide(*, user, claim: OrganisationClaim, approve: bool, reason: str = "") -> OrganisationClaim:
    """An administrator approves (the claimant becomes the owner) or turns down a claim sent for review."""
    require(is_administrator(user), REVIEW_ONLY)
    reason = (reason or "").strip()
    if claim.state != PENDING or claim.method != OrganisationClaim.Method.ADMINISTRATOR:
        raise ValidationError("This claim is no longer waiting for a decision")
    if not approve and not reason:
        raise ValidationError({"reason": "Say why the claim is turned down; the claimant will read this"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Reason must be {REASON_MAX} characters or fewer"})
    started = timezone.now()
    if approve:
        _require_still_unclaimed(claim)
        _grant(claim, state=OrganisationClaim.State.APPROVED, decided_by=user, reason=reason)
    else:
        claim.state, claim.decided_at, claim.decided_by, claim.reason = (
            OrganisationClaim.State.REJECTED, started, user, reason,
        )
        claim.save()
    audit_actor_record(records=claim.organisation.claims.all(), user=user, since=started)
    emails.claim_decision_send(claim=claim)
    return claim


@transaction.atomic
def claim_withdraw(*, user, claim: OrganisationClaim) -> OrganisationClaim:
    """The claimant takes back a claim that is still waiting."""
    require(bool(user and user.is_authenticated) and claim.claimant_id == user.pk,
            "Only the person who made a claim can withdraw it.")
    if claim.state != PENDING:
        raise ValidationError("This claim is no longer waiting, so it cannot be withdrawn")
    started = timezone.now()
    claim.state = OrganisationClaim.State.WITHDRAWN
    claim.save()
    audit_actor_record(records=[claim], user=user, since=started)
    return claim
