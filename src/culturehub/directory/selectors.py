"""Reading the directory, with the permission rules in one place.

Who sees what:
- everyone, signed in or not, reads published organisations, offers (of a published organisation) and
  consortia;
- drafts and archived records are seen only by the organisation's members, the coordinator of a
  consortium the organisation belongs to (or is invited to), and administrators;
- an organisation's members edit it, its offers and venues; a consortium's coordinator edits the
  consortium; administrators edit everything.

The page functions load each page's records in a fixed number of queries however many offers, members
or venues there are (tests/test_pages.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from culturehub.core.audit import HistoryEntry, audit_history
from culturehub.core.permissions import is_administrator
from culturehub.directory.claim_selectors import ClaimStatus, claim_status
from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationMembership,
    Status,
    Venue,
)
from culturehub.places.models import Area

# Memberships that still tie an organisation to a consortium (for who may see a draft).
LIVE_STATES = (
    ConsortiumMember.State.ACTIVE,
    ConsortiumMember.State.INVITED,
    ConsortiumMember.State.REQUESTED,
)
NOT_FOUND = "There is no such record in the directory."


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


# ---------------------------------------------------------------------------------------------------
# Permission rules
# ---------------------------------------------------------------------------------------------------


def organisation_is_member(*, user, organisation: Organisation) -> bool:
    if not _signed_in(user):
        return False
    return OrganisationMembership.objects.filter(organisation=organisation, user=user).exists()


def organisation_is_owner(*, user, organisation: Organisation) -> bool:
    if not _signed_in(user):
        return False
    return OrganisationMembership.objects.filter(
        organisation=organisation, user=user, role=OrganisationMembership.Role.OWNER
    ).exists()


def organisation_can_edit(*, user, organisation: Organisation) -> bool:
    """Members of the organisation and administrators change it, its offers and its venues."""
    return is_administrator(user) or organisation_is_member(user=user, organisation=organisation)


def organisation_can_read_history(*, user, organisation: Organisation) -> bool:
    """Owners and administrators read the organisation's audit trail."""
    return is_administrator(user) or organisation_is_owner(user=user, organisation=organisation)


def _coordinates_consortium_of(*, user, organisation: Organisation) -> bool:
    if not _signed_in(user):
        return False
    return ConsortiumMember.objects.filter(
        organisation=organisation, consortium__coordinator=user, state__in=LIVE_STATES
    ).exists()


def organisation_can_view(*, user, organisation: Organisation) -> bool:
    if organisation.status == Status.PUBLISHED:
        return True
    return organisation_can_edit(user=user, organisation=organisation) or _coordinates_consortium_of(
        user=user, organisation=organisation
    )


def offer_can_view(*, user, offer: Offer) -> bool:
    if offer.status == Status.PUBLISHED and offer.organisation.status == Status.PUBLISHED:
        return True
    return organisation_can_edit(user=user, organisation=offer.organisation) or _coordinates_consortium_of(
        user=user, organisation=offer.organisation
    )


def consortium_can_edit(*, user, consortium: Consortium) -> bool:
    """The consortium's coordinator and administrators change it and its membership."""
    if is_administrator(user):
        return True
    return _signed_in(user) and consortium.coordinator_id == user.pk


def consortium_is_member(*, user, consortium: Consortium) -> bool:
    """Whether the user belongs to an organisation in the consortium (or invited or asking to join)."""
    if not _signed_in(user):
        return False
    return ConsortiumMember.objects.filter(
        consortium=consortium, state__in=LIVE_STATES, organisation__memberships__user=user
    ).exists()


def consortium_can_view(*, user, consortium: Consortium) -> bool:
    if consortium.status == Status.PUBLISHED:
        return True
    return consortium_can_edit(user=user, consortium=consortium) or consortium_is_member(
        user=user, consortium=consortium
    )


def consortium_can_create(*, user) -> bool:
    """Administrators, coordinators, and members of at least one organisation start consortia."""
    if not _signed_in(user):
        return False
    if is_administrator(user) or user.role == "coordinator":
        return True
    return OrganisationMembership.objects.filter(user=user).exists()


# ---------------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------------


def _visible_organisation_q(user) -> Q:
    published = Q(status=Status.PUBLISHED)
    if not _signed_in(user):
        return published
    coordinated = Q(
        consortium_memberships__consortium__coordinator=user,
        consortium_memberships__state__in=LIVE_STATES,
    )
    return published | Q(memberships__user=user) | coordinated


def organisation_list_visible(*, user) -> QuerySet[Organisation]:
    """Organisations the user may see, by name."""
    organisations = Organisation.objects.all()
    if not is_administrator(user):
        visible = Organisation.objects.filter(_visible_organisation_q(user)).values("pk")
        organisations = organisations.filter(pk__in=visible)
    return organisations.order_by("name", "pk")


def organisation_list_published() -> QuerySet[Organisation]:
    """Published organisations by name, with the places they serve (one more query per page)."""
    return (
        Organisation.objects.filter(status=Status.PUBLISHED)
        .prefetch_related(Prefetch("areas_served", queryset=Area.objects.order_by("name")))
        .order_by("name", "pk")
    )


def organisation_lead_choices(*, user, consortium: Consortium | None = None) -> QuerySet[Organisation]:
    """Organisations that may lead a consortium: the user's own, and for an existing consortium its
    active members."""
    own = Organisation.objects.filter(memberships__user=user)
    if consortium is None:
        return own.order_by("name")
    members = Organisation.objects.filter(
        consortium_memberships__consortium=consortium,
        consortium_memberships__state=ConsortiumMember.State.ACTIVE,
    )
    return Organisation.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=members.values("pk"))).order_by(
        "name"
    )


def organisation_joinable_list(*, user, consortium: Consortium) -> QuerySet[Organisation]:
    """The user's organisations that are not already in, or asking to join, the consortium."""
    taken = (
        consortium.memberships.filter(
            state__in=[ConsortiumMember.State.ACTIVE, ConsortiumMember.State.REQUESTED]
        )
        .exclude(organisation=None)
        .values("organisation_id")
    )
    return Organisation.objects.filter(memberships__user=user).exclude(pk__in=taken).order_by("name")


def organisation_answerable_list(*, user, membership: ConsortiumMember) -> QuerySet[Organisation]:
    """The user's organisations that can answer an invitation: the one invited, or any for an email one."""
    organisations = Organisation.objects.filter(memberships__user=user).order_by("name")
    if membership.organisation_id is not None:
        organisations = organisations.filter(pk=membership.organisation_id)
    return organisations


def organisation_list_for_member(*, user) -> QuerySet[Organisation]:
    """The user's own organisations (the "Your organisations" page), with offer counts."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(memberships__user=user)
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.only("id", "name", "status", "organisation_id"))
        )
        .order_by("name", "pk")
    )


def offer_list_visible(*, user) -> QuerySet[Offer]:
    """Offers the user may see: published offers of published organisations, plus their own drafts."""
    offers = Offer.objects.select_related("organisation")
    if is_administrator(user):
        return offers.order_by("name", "pk")
    public = Q(status=Status.PUBLISHED, organisation__status=Status.PUBLISHED)
    if not _signed_in(user):
        return offers.filter(public).order_by("name", "pk")
    own = Organisation.objects.filter(_visible_organisation_q(user) & ~Q(status=Status.PUBLISHED)).values(
        "pk"
    )
    members = Organisation.objects.filter(memberships__user=user).values("pk")
    return offers.filter(public | Q(organisation__in=members) | Q(organisation__in=own)).order_by(
        "name", "pk"
    )


def consortium_list_visible(*, user) -> QuerySet[Consortium]:
    consortia = Consortium.objects.select_related("area")
    if is_administrator(user):
        return consortia.order_by("name", "pk")
    visible = Q(status=Status.PUBLISHED)
    if _signed_in(user):
        visible |= Q(coordinator=user) | Q(
            pk__in=ConsortiumMember.objects.filter(
                state__in=LIVE_STATES, organisation__memberships__user=user
            ).values("consortium_id")
        )
    return consortia.filter(visible).order_by("name", "pk")


def consortium_list_for_user(*, user) -> QuerySet[Consortium]:
    """Consortia the user coordinates or one of their organisations belongs to."""
    if not _signed_in(user):
        return Consortium.objects.none()
    mine = Q(coordinator=user) | Q(
        pk__in=ConsortiumMember.objects.filter(
            state__in=LIVE_STATES, organisation__memberships__user=user
        ).values("consortium_id")
    )
    return Consortium.objects.filter(mine).select_related("area").order_by("name", "pk")


# ---------------------------------------------------------------------------------------------------
# One record
# ---------------------------------------------------------------------------------------------------


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404(NOT_FOUND) from None


def organisation_get(*, user, pk) -> Organisation:
    """The organisation, if the user may see it: Http404 when there is none, PermissionDenied when it is
    a draft or archived and the user is not one of the people who may see it."""
    organisation = _get_or_404(Organisation.objects.all(), pk)
    if not organisation_can_view(user=user, organisation=organisation):
        raise PermissionDenied("This organisation’s listing is not published.")
    return organisation


def organisation_get_for_edit(*, user, pk) -> Organisation:
    organisation = _get_or_404(Organisation.objects.all(), pk)
    if not organisation_can_edit(user=user, organisation=organisation):
        raise PermissionDenied("Only the organisation’s members and administrators can change it.")
    return organisation


def offer_get(*, user, pk) -> Offer:
    offer = _get_or_404(Offer.objects.select_related("organisation"), pk)
    if not offer_can_view(user=user, offer=offer):
        raise PermissionDenied("This offer is not published.")
    return offer


def offer_get_for_edit(*, user, pk) -> Offer:
    offer = _get_or_404(Offer.objects.select_related("organisation"), pk)
    if not organisation_can_edit(user=user, organisation=offer.organisation):
        raise PermissionDenied("Only the organisation’s members and administrators can change its offers.")
    return offer


def venue_get_for_edit(*, user, pk) -> Venue:
    venue = _get_or_404(Venue.objects.select_related("organisation"), pk)
    if not organisation_can_edit(user=user, organisation=venue.organisation):
        raise PermissionDenied("Only the organisation’s members and administrators can change its venues.")
    return venue


def consortium_get(*, user, pk) -> Consortium:
    consortium = _get_or_404(Consortium.objects.select_related("area", "lead", "coordinator"), pk)
    if not consortium_can_view(user=user, consortium=consortium):
        raise PermissionDenied("This consortium is not published.")
    return consortium


def consortium_get_for_edit(*, user, pk) -> Consortium:
    consortium = _get_or_404(Consortium.objects.select_related("area", "lead", "coordinator"), pk)
    if not consortium_can_edit(user=user, consortium=consortium):
        raise PermissionDenied("Only the consortium’s coordinator and administrators can change it.")
    return consortium


def consortium_membership_get(*, pk) -> ConsortiumMember:
    return _get_or_404(ConsortiumMember.objects.select_related("consortium", "organisation"), pk)


def consortium_invitation_get(*, token: str) -> ConsortiumMember:
    """The waiting invitation for a token from an email; Http404 when it is unknown or used."""
    membership = None
    if token:
        membership = (
            ConsortiumMember.objects.select_related("consortium", "consortium__area", "organisation")
            .filter(invitation_token=token, state=ConsortiumMember.State.INVITED)
            .first()
        )
    if membership is None:
        raise Http404("This invitation has been used or withdrawn, or the link is incomplete.")
    return membership


def consortium_collective_offer(*, consortium: Consortium) -> QuerySet[Offer]:
    """The consortium's collective offer: every published offer of its active, published members."""
    active = ConsortiumMember.objects.filter(
        consortium=consortium, state=ConsortiumMember.State.ACTIVE
    ).values("organisation_id")
    return (
        Offer.objects.filter(
            organisation__in=active, status=Status.PUBLISHED, organisation__status=Status.PUBLISHED
        )
        .select_related("organisation")
        .prefetch_related("themes")
        .order_by("organisation__name", "name", "pk")
    )


# ---------------------------------------------------------------------------------------------------
# History of changes (the audit trail)
# ---------------------------------------------------------------------------------------------------


def organisation_audit_log(*, user, organisation: Organisation, limit: int = 100) -> list[HistoryEntry]:
    """Who changed the organisation, its offers and venues, when, and what changed; newest first.

    Owners and administrators only. Four queries: the offer and venue ids, the entries with their actors.
    """
    if not organisation_can_read_history(user=user, organisation=organisation):
        raise PermissionDenied("Only the organisation’s owners and administrators can read its history.")
    return audit_history(
        {
            Organisation: [organisation.pk],
            Offer: list(organisation.offers.values_list("pk", flat=True)),
            Venue: list(organisation.venues.values_list("pk", flat=True)),
        },
        limit=limit,
    )


def offer_audit_log(*, user, offer: Offer, limit: int = 100) -> list[HistoryEntry]:
    """The offer's own history, for its organisation's owners and administrators."""
    if not organisation_can_read_history(user=user, organisation=offer.organisation):
        raise PermissionDenied("Only the organisation’s owners and administrators can read its history.")
    return audit_history({Offer: [offer.pk]}, limit=limit)


def consortium_audit_log(*, user, consortium: Consortium, limit: int = 100) -> list[HistoryEntry]:
    """The consortium's history and its memberships', for its coordinator and administrators."""
    if not consortium_can_edit(user=user, consortium=consortium):
        raise PermissionDenied("Only the consortium’s coordinator and administrators can read its history.")
    return audit_history(
        {
            Consortium: [consortium.pk],
            ConsortiumMember: list(consortium.memberships.values_list("pk", flat=True)),
        },
        limit=limit,
    )


# ---------------------------------------------------------------------------------------------------
# Pages: everything one page shows, in a fixed number of queries
# ---------------------------------------------------------------------------------------------------

_TERM_FIELDS = ("themes", "art_forms", "populations", "delivery_settings", "outcomes")


@dataclass
class OrganisationPage:
    organisation: Organisation
    offers: list[Offer]
    venues: list[Venue]
    consortia: list[ConsortiumMember]
    can_edit: bool
    history: list[HistoryEntry] | None
    claim: ClaimStatus


def organisation_page(*, user, pk) -> OrganisationPage:
    organisation = organisation_get(user=user, pk=pk)
    can_edit = organisation_can_edit(user=user, organisation=organisation)
    offers = organisation.offers.prefetch_related("themes").order_by("name", "pk")
    if not can_edit:
        offers = offers.filter(status=Status.PUBLISHED)
    consortia = (
        ConsortiumMember.objects.filter(organisation=organisation, state=ConsortiumMember.State.ACTIVE)
        .select_related("consortium")
        .order_by("consortium__name")
    )
    if not is_administrator(user):
        consortia = consortia.filter(consortium__status=Status.PUBLISHED)
    history = None
    if organisation_can_read_history(user=user, organisation=organisation):
        history = organisation_audit_log(user=user, organisation=organisation)
    organisation = Organisation.objects.prefetch_related("identifiers", "areas_served").get(
        pk=organisation.pk
    )
    return OrganisationPage(
        organisation=organisation,
        offers=list(offers),
        venues=list(organisation.venues.order_by("name", "pk")) if can_edit else [],
        consortia=list(consortia),
        can_edit=can_edit,
        history=history,
        claim=claim_status(user=user, organisation=organisation),
    )


@dataclass
class OfferPage:
    offer: Offer
    can_edit: bool
    terms: dict[str, list] = field(default_factory=dict)
    history: list[HistoryEntry] | None = None

    @property
    def delivery_labels(self) -> list[str]:
        return [label for key, label in Offer.DELIVERY_MODES if key in (self.offer.delivery_modes or [])]

    @property
    def referral_labels(self) -> list[str]:
        return [label for key, label in Offer.REFERRAL_ROUTES if key in (self.offer.referral_routes or [])]


def offer_page(*, user, pk) -> OfferPage:
    offer = offer_get(user=user, pk=pk)
    offer = (
        Offer.objects.select_related("organisation")
        .prefetch_related(*_TERM_FIELDS, "areas_served", "venues")
        .get(pk=offer.pk)
    )
    can_edit = organisation_can_edit(user=user, organisation=offer.organisation)
    terms = {name: list(getattr(offer, name).all()) for name in _TERM_FIELDS}
    history = None
    if organisation_can_read_history(user=user, organisation=offer.organisation):
        history = offer_audit_log(user=user, offer=offer)
    return OfferPage(offer=offer, can_edit=can_edit, terms=terms, history=history)


@dataclass
class ConsortiumPage:
    consortium: Consortium
    members: list[ConsortiumMember]
    pending: list[ConsortiumMember]
    collective_offer: QuerySet[Offer]
    can_edit: bool
    own_memberships: list[ConsortiumMember]
    history: list[HistoryEntry] | None = None

    @property
    def areas(self) -> list[Area]:
        return [self.consortium.area]


def consortium_page(*, user, pk) -> ConsortiumPage:
    consortium = consortium_get(user=user, pk=pk)
    can_edit = consortium_can_edit(user=user, consortium=consortium)
    memberships = list(
        consortium.memberships.filter(state__in=LIVE_STATES)
        .select_related("organisation")
        .order_by("organisation__name", "invited_email", "pk")
    )
    own_ids: set = set()
    if _signed_in(user):
        own_ids = set(
            OrganisationMembership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    # Members whose own listing is a draft are shown only to people who may see that draft.
    members = [
        m
        for m in memberships
        if m.state == ConsortiumMember.State.ACTIVE
        and (can_edit or m.organisation.status == Status.PUBLISHED or m.organisation_id in own_ids)
    ]
    own = [m for m in memberships if m.organisation_id in own_ids]
    pending = [m for m in memberships if m.state != ConsortiumMember.State.ACTIVE]
    return ConsortiumPage(
        consortium=consortium,
        members=members,
        pending=pending if can_edit else [],
        collective_offer=consortium_collective_offer(consortium=consortium),
        can_edit=can_edit,
        own_memberships=own,
        history=consortium_audit_log(user=user, consortium=consortium) if can_edit else None,
    )
