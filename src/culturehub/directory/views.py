"""Directory pages: organisations, offers, venues and consortia, and the forms to change them.

Views only read the request, call a selector or service, and render; the permission checks live in the
selectors and services (a PermissionDenied from them becomes the 403 page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from culturehub.core.forms import run_service
from culturehub.directory import selectors, services
from culturehub.directory.forms import (
    ConsortiumForm,
    InviteForm,
    OfferForm,
    OrganisationChoiceForm,
    OrganisationForm,
    VenueForm,
)
from culturehub.directory.models import ConsortiumMember, Status

PER_PAGE = 25


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------------


def index(request):
    """The directory's front page: published organisations, and the consortia."""
    user = request.user
    has_organisation = bool(
        user.is_authenticated and selectors.organisation_list_for_member(user=user).exists()
    )
    return render(
        request,
        "directory/index.html",
        {
            "page": _page(request, selectors.organisation_list_published()),
            "consortia": selectors.consortium_list_visible(user=user).filter(status=Status.PUBLISHED)[
                :PER_PAGE
            ],
            "has_organisation": has_organisation,
        },
    )


def consortium_list(request):
    return render(
        request,
        "directory/consortium_list.html",
        {
            "page": _page(request, selectors.consortium_list_visible(user=request.user)),
            "can_create": selectors.consortium_can_create(user=request.user),
        },
    )


@login_required
def yours(request):
    """'Your organisations': what the signed-in person looks after, and invitations waiting for them."""
    user = request.user
    organisations = list(selectors.organisation_list_for_member(user=user))
    consortia = list(selectors.consortium_list_for_user(user=user))
    return render(
        request,
        "directory/yours.html",
        {
            "organisations": organisations,
            "consortia": consortia,
            "can_create_consortium": selectors.consortium_can_create(user=user),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------------


@login_required
def organisation_add(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        organisation = run_service(
            form, lambda **values: services.organisation_create(user=request.user, **values)
        )
        if organisation is not None:
            messages.success(request, f"{organisation.name} added as a draft. Publish it when it is ready.")
            return redirect("directory:organisation_detail", pk=organisation.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": None})


def organisation_detail(request, pk):
    page = selectors.organisation_page(user=request.user, pk=pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "page": page,
            "organisation": page.organisation,
            "offers": _page(request, page.offers),
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_get_for_edit(user=request.user, pk=pk)
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(organisation))
    if request.method == "POST":
        saved = run_service(
            form,
            lambda **values: services.organisation_update(
                user=request.user, organisation=organisation, **values
            ),
        )
        if saved is not None:
            messages.success(request, f"Changes to {saved.name} saved.")
            return redirect("directory:organisation_detail", pk=saved.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": organisation})


STATUS_ACTIONS = {
    "publish": (services.organisation_publish, services.offer_publish, services.consortium_publish),
    "archive": (services.organisation_archive, services.offer_archive, services.consortium_archive),
}


def _confirm_status(request, *, action: str, record, kind: str, call, detail_url: str, explanation: str):
    """A confirmation page for publishing or archiving; the change happens on POST."""
    if action not in STATUS_ACTIONS:
        raise Http404("No such action.")
    if request.method == "POST":
        call()
        verb = "published" if action == "publish" else "archived"
        messages.success(request, f"{record} is {verb}.")
        return redirect(detail_url)
    return render(
        request,
        "directory/confirm_status.html",
        {
            "action": action,
            "record": record,
            "kind": kind,
            "detail_url": detail_url,
            "explanation": explanation,
        },
    )


ORGANISATION_EXPLANATIONS = {
    "publish": "Everyone will be able to see the listing and its published offers, and other directories "
    "can read them through the Open Referral UK API.",
    "archive": "The listing and its offers will no longer be public. You and administrators can still see "
    "them, and you can publish the listing again at any time.",
}


@login_required
def organisation_status(request, pk, action):
    organisation = selectors.organisation_get_for_edit(user=request.user, pk=pk)
    service = STATUS_ACTIONS.get(action, (None,))[0]
    return _confirm_status(
        request,
        action=action,
        record=organisation,
        kind="organisation",
        call=lambda: service(user=request.user, organisation=organisation),
        detail_url=reverse("directory:organisation_detail", args=[organisation.pk]),
        explanation=ORGANISATION_EXPLANATIONS.get(action, ""),
    )


# ---------------------------------------------------------------------------------------------------
# Venues
# ---------------------------------------------------------------------------------------------------


@login_required
def venue_add(request, pk):
    organisation = selectors.organisation_get_for_edit(user=request.user, pk=pk)
    form = VenueForm(request.POST or None)
    if request.method == "POST":
        venue = run_service(
            form,
            lambda **values: services.venue_create(user=request.user, organisation=organisation, **values),
        )
        if venue is not None:
            messages.success(request, f"Venue added: {venue.name}")
            return redirect(reverse("directory:organisation_detail", args=[organisation.pk]) + "#venues")
    return render(
        request,
        "directory/venue_form.html",
        {
            "form": form,
            "organisation": organisation,
            "venue": None,
        },
    )


@login_required
def venue_edit(request, pk):
    venue = selectors.venue_get_for_edit(user=request.user, pk=pk)
    form = VenueForm(request.POST or None, initial=VenueForm.initial_for(venue))
    if request.method == "POST":
        saved = run_service(
            form, lambda **values: services.venue_update(user=request.user, venue=venue, **values)
        )
        if saved is not None:
            messages.success(request, f"Changes to {saved.name} saved.")
            return redirect(
                reverse("directory:organisation_detail", args=[venue.organisation_id]) + "#venues"
            )
    return render(
        request,
        "directory/venue_form.html",
        {
            "form": form,
            "organisation": venue.organisation,
            "venue": venue,
        },
    )


# ---------------------------------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------------------------------


@login_required
def offer_add(request, pk):
    organisation = selectors.organisation_get_for_edit(user=request.user, pk=pk)
    form = OfferForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        offer = run_service(
            form,
            lambda **values: services.offer_create(user=request.user, organisation=organisation, **values),
        )
        if offer is not None:
            messages.success(request, f"{offer.name} added as a draft. Publish it when it is ready.")
            return redirect("directory:offer_detail", pk=offer.pk)
    return render(
        request, "directory/offer_form.html", {"form": form, "organisation": organisation, "offer": None}
    )


def offer_detail(request, pk):
    page = selectors.offer_page(user=request.user, pk=pk)
    return render(request, "directory/offer_detail.html", {"page": page, "offer": page.offer})


@login_required
def offer_edit(request, pk):
    offer = selectors.offer_get_for_edit(user=request.user, pk=pk)
    form = OfferForm(
        request.POST or None, organisation=offer.organisation, initial=OfferForm.initial_for(offer)
    )
    if request.method == "POST":
        saved = run_service(
            form, lambda **values: services.offer_update(user=request.user, offer=offer, **values)
        )
        if saved is not None:
            messages.success(request, f"Changes to {saved.name} saved.")
            return redirect("directory:offer_detail", pk=saved.pk)
    return render(
        request,
        "directory/offer_form.html",
        {
            "form": form,
            "organisation": offer.organisation,
            "offer": offer,
        },
    )


OFFER_EXPLANATIONS = {
    "publish": "Everyone will be able to see the offer once its organisation’s listing is published.",
    "archive": "The offer will no longer be public. You can publish it again at any time.",
}


@login_required
def offer_status(request, pk, action):
    offer = selectors.offer_get_for_edit(user=request.user, pk=pk)
    service = STATUS_ACTIONS.get(action, (None, None))[1]
    return _confirm_status(
        request,
        action=action,
        record=offer,
        kind="offer",
        call=lambda: service(user=request.user, offer=offer),
        detail_url=reverse("directory:offer_detail", args=[offer.pk]),
        explanation=OFFER_EXPLANATIONS.get(action, ""),
    )


# ---------------------------------------------------------------------------------------------------
# Consortia
# ---------------------------------------------------------------------------------------------------


@login_required
def consortium_add(request):
    if not selectors.consortium_can_create(user=request.user):
        return render(request, "directory/consortium_needs_organisation.html", status=403)
    lead_choices = selectors.organisation_lead_choices(user=request.user)
    form = ConsortiumForm(request.POST or None, lead_choices=lead_choices)
    if request.method == "POST":
        consortium = run_service(
            form, lambda **values: services.consortium_create(user=request.user, **values)
        )
        if consortium is not None:
            messages.success(
                request, f"{consortium.name} started as a draft. Invite members, then publish it."
            )
            return redirect("directory:consortium_detail", pk=consortium.pk)
    return render(request, "directory/consortium_form.html", {"form": form, "consortium": None})


def consortium_detail(request, pk):
    page = selectors.consortium_page(user=request.user, pk=pk)
    return render(
        request,
        "directory/consortium_detail.html",
        {
            "page": page,
            "consortium": page.consortium,
            "offers": _page(request, page.collective_offer),
        },
    )


@login_required
def consortium_edit(request, pk):
    consortium = selectors.consortium_get_for_edit(user=request.user, pk=pk)
    form = ConsortiumForm(
        request.POST or None,
        lead_choices=selectors.organisation_lead_choices(user=request.user, consortium=consortium),
        initial=ConsortiumForm.initial_for(consortium),
    )
    if request.method == "POST":
        saved = run_service(
            form,
            lambda **values: services.consortium_update(user=request.user, consortium=consortium, **values),
        )
        if saved is not None:
            messages.success(request, f"Changes to {saved.name} saved.")
            return redirect("directory:consortium_detail", pk=saved.pk)
    return render(request, "directory/consortium_form.html", {"form": form, "consortium": consortium})


CONSORTIUM_EXPLANATIONS = {
    "publish": "Everyone will be able to see the consortium, its members and its collective offer.",
    "archive": "The consortium will no longer be public. You can publish it again at any time.",
}


@login_required
def consortium_status(request, pk, action):
    consortium = selectors.consortium_get_for_edit(user=request.user, pk=pk)
    service = STATUS_ACTIONS.get(action, (None, None, None))[2]
    return _confirm_status(
        request,
        action=action,
        record=consortium,
        kind="consortium",
        call=lambda: service(user=request.user, consortium=consortium),
        detail_url=reverse("directory:consortium_detail", args=[consortium.pk]),
        explanation=CONSORTIUM_EXPLANATIONS.get(action, ""),
    )


@login_required
def consortium_invite(request, pk):
    consortium = selectors.consortium_get_for_edit(user=request.user, pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        membership = run_service(
            form,
            lambda **values: services.consortium_invite(user=request.user, consortium=consortium, **values),
        )
        if membership is not None:
            if membership.state == ConsortiumMember.State.ACTIVE:
                messages.success(request, f"{membership.organisation} had asked to join and is now a member.")
            else:
                messages.success(request, f"Invitation sent to {membership.invited_email}.")
            return redirect(reverse("directory:consortium_detail", args=[consortium.pk]) + "#members")
    return render(request, "directory/consortium_invite.html", {"form": form, "consortium": consortium})


@login_required
def consortium_join(request, pk):
    consortium = selectors.consortium_get(user=request.user, pk=pk)
    organisations = selectors.organisation_joinable_list(user=request.user, consortium=consortium)
    form = OrganisationChoiceForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        membership = run_service(
            form,
            lambda **values: services.consortium_request_to_join(
                user=request.user, consortium=consortium, **values
            ),
        )
        if membership is not None:
            if membership.state == ConsortiumMember.State.ACTIVE:
                messages.success(request, f"{membership.organisation} has joined {consortium.name}.")
            else:
                messages.success(request, f"Request sent. The coordinator of {consortium.name} will reply.")
            return redirect("directory:consortium_detail", pk=consortium.pk)
    return render(
        request,
        "directory/consortium_join.html",
        {
            "form": form,
            "consortium": consortium,
            "has_organisations": organisations.exists(),
        },
    )


@login_required
def consortium_accept(request, token):
    """The page the invitation email links to: accept (for one of your organisations) or decline."""
    membership = selectors.consortium_invitation_get(token=token)
    organisations = selectors.organisation_answerable_list(user=request.user, membership=membership)
    form = OrganisationChoiceForm(request.POST or None, organisations=organisations, with_role=False)
    if request.method == "POST":
        if request.POST.get("decision") == "decline":
            services.consortium_decline_invitation(user=request.user, token=token)
            messages.success(request, f"You declined the invitation to join {membership.consortium.name}.")
            return redirect("directory:yours")
        if form.is_valid():
            accepted = run_service(
                form,
                lambda **values: services.consortium_accept_invitation(
                    user=request.user, token=token, **values
                ),
            )
            if accepted is not None:
                messages.success(request, f"{accepted.organisation} has joined {membership.consortium.name}.")
                return redirect("directory:consortium_detail", pk=membership.consortium_id)
    return render(
        request,
        "directory/consortium_accept.html",
        {
            "form": form,
            "membership": membership,
            "consortium": membership.consortium,
            "has_organisations": organisations.exists(),
        },
    )


MEMBERSHIP_ACTIONS = {
    "confirm": services.consortium_confirm_request,
    "remove": services.consortium_remove_member,
    "leave": services.consortium_leave,
}
MEMBERSHIP_QUESTIONS = {
    "confirm": "Confirm {organisation} as a member of {consortium}?",
    "remove": "Remove {organisation} from {consortium}?",
    "leave": "Take {organisation} out of {consortium}?",
}
MEMBERSHIP_DONE = {
    "confirm": "{organisation} is now a member of {consortium}.",
    "remove": "{organisation} is no longer in {consortium}.",
    "leave": "{organisation} has left {consortium}.",
}


@login_required
def membership_change(request, pk, action):
    membership = selectors.consortium_membership_get(pk=pk)
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404("No such action.")
    consortium = membership.consortium
    names = {
        "organisation": membership.organisation or membership.invited_email,
        "consortium": consortium.name,
    }
    if request.method == "POST":
        try:
            MEMBERSHIP_ACTIONS[action](user=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, MEMBERSHIP_DONE[action].format(**names))
        return redirect(reverse("directory:consortium_detail", args=[consortium.pk]) + "#members")
    # Check before showing the question, so no one is asked something they cannot do.
    allowed = (
        selectors.consortium_can_edit(user=request.user, consortium=consortium)
        if action != "leave"
        else membership.organisation is not None
        and selectors.organisation_is_member(user=request.user, organisation=membership.organisation)
    )
    if not allowed:
        raise PermissionDenied("You cannot change this membership.")
    return render(
        request,
        "directory/membership_confirm.html",
        {
            "membership": membership,
            "consortium": consortium,
            "action": action,
            "question": MEMBERSHIP_QUESTIONS[action].format(**names),
        },
    )
