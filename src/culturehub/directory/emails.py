"""Emails the directory sends: consortium invitations and requests to join, and claims of listings.

Plain text, rendered from templates in templates/directory/emails/, sent through Django's mail backend
(the console in development, SMTP when EMAIL_HOST is set).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from culturehub.core.links import site_url


def _send(*, template: str, to: list[str], context: dict) -> None:
    subject = render_to_string(f"directory/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"directory/emails/{template}.txt", context)
    recipients = [address for address in to if address]
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def consortium_invitation_send(*, membership, accept_url: str, invited_by) -> None:
    """Send the invitation link; whoever follows it signs in and accepts for their organisation."""
    _send(
        template="consortium_invitation",
        to=[membership.invited_email],
        context={
            "membership": membership,
            "consortium": membership.consortium,
            "organisation": membership.organisation,
            "accept_url": accept_url,
            "invited_by": invited_by,
            "site_name": "Culture Hub",
        },
    )


def consortium_request_send(*, membership, requested_by) -> None:
    """Tell the coordinator (and the consortium's shared address) that an organisation asked to join."""
    consortium = membership.consortium
    to = [consortium.contact_email]
    if consortium.coordinator is not None and consortium.coordinator.email not in to:
        to.append(consortium.coordinator.email)
    _send(
        template="consortium_request",
        to=to,
        context={
            "membership": membership,
            "consortium": consortium,
            "organisation": membership.organisation,
            "requested_by": requested_by,
            "consortium_url": site_url(reverse("directory:consortium_detail", args=[consortium.pk])),
            "site_name": "Culture Hub",
        },
    )


def claim_verification_send(*, claim, verify_url: str, valid_for_hours: int) -> None:
    """Send the single-use link that confirms a claim made with an address at the organisation's domain."""
    _send(
        template="claim_verification",
        to=[claim.email],
        context={
            "claim": claim,
            "organisation": claim.organisation,
            "verify_url": verify_url,
            "hours": valid_for_hours,
            "site_name": "Culture Hub",
        },
    )


def claim_decision_send(*, claim) -> None:
    """Tell the claimant what an administrator decided, and why."""
    _send(
        template="claim_decision",
        to=[claim.claimant.email],
        context={
            "claim": claim,
            "organisation": claim.organisation,
            "organisation_url": site_url(
                reverse("directory:organisation_detail", args=[claim.organisation_id])
            ),
            "site_name": "Culture Hub",
        },
    )
