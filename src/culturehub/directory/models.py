"""The directory: cultural organisations, their offers (HSDS services), venues and consortia.

Identifiers are UUIDs because Open Referral UK (HSDS 3.0) publishes them as ids.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from culturehub.core.models import TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Origin(models.TextChoices):
    """Where a record came from: entered here, imported from an Open Referral feed, or a register."""

    ENTERED = "entered", "Entered in Culture Hub"
    ORUK = "oruk", "Open Referral UK feed"
    REGISTER = "register", "Public register"


class Organisation(TimeStampedModel):
    class LegalForm(models.TextChoices):
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        CLG = "clg", "Company limited by guarantee"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
        COMPANY = "company", "For-profit company"
        LOCAL_AUTHORITY = "local_authority", "Local authority service"
        MUSEUM_LIBRARY_SERVICE = "museum_library_service", "Museum or library service"
        UNINCORPORATED = "unincorporated", "Unincorporated group"
        INDIVIDUAL = "individual", "Individual artist or sole trader"

    class IncomeBand(models.TextChoices):
        UNDER_10K = "under_10k", "Under £10,000"
        FROM_10K = "10k_100k", "£10,000 to £100,000"
        FROM_100K = "100k_1m", "£100,000 to £1 million"
        FROM_1M = "1m_10m", "£1 million to £10 million"
        OVER_10M = "over_10m", "Over £10 million"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=30, choices=LegalForm.choices)
    description = models.TextField()
    website = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    areas_served = models.ManyToManyField("places.Area", blank=True, related_name="organisations")
    income_band = models.CharField(max_length=20, choices=IncomeBand.choices, blank=True)
    accessibility = models.TextField(blank=True, help_text="Access information for visitors.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_example = models.BooleanField(
        default=False, help_text="Demo data: an example, not a real organisation."
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.ENTERED)
    origin_id = models.CharField(
        max_length=200, blank=True, help_text="The record's id in the feed or register it came from."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMembership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status"], name="organisation_status_idx")]

    def __str__(self):
        return self.name


class OrganisationIdentifier(models.Model):
    """A register identifier in org-id form: the scheme (GB-CHC, GB-COH, GB-SC...) and the id."""

    class Scheme(models.TextChoices):
        CHARITY_ENGLAND_WALES = "GB-CHC", "Charity Commission for England and Wales"
        COMPANIES_HOUSE = "GB-COH", "Companies House"
        CHARITY_SCOTLAND = "GB-SC", "Scottish Charity Regulator (OSCR)"
        CHARITY_NORTHERN_IRELAND = "GB-NIC", "Charity Commission for Northern Ireland"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    identifier = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "identifier"], name="unique_org_identifier")]

    def __str__(self):
        return self.org_id

    @property
    def org_id(self) -> str:
        return f"{self.scheme}-{self.identifier}"


class OrganisationMembership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_organisation_member")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation}"


class Venue(TimeStampedModel):
    """Where an offer happens (an HSDS location)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.town}"


class Offer(TimeStampedModel):
    """What an organisation delivers, for whom, where and how (an HSDS service)."""

    class Price(models.TextChoices):
        FREE = "free", "Free"
        PER_PARTICIPANT = "per_participant", "Per participant"
        PER_SESSION = "per_session", "Per session"
        PER_PROGRAMME = "per_programme", "Per programme"
        NOT_STATED = "not_stated", "Not stated"

    DELIVERY_MODES = [
        ("sessions", "Regular sessions"),
        ("courses", "Courses"),
        ("programmes", "Programmes"),
        ("performances", "Performances"),
        ("residencies", "Residencies"),
        ("outreach", "Outreach"),
        ("online", "Online"),
    ]
    REFERRAL_ROUTES = [
        ("self", "Self-referral"),
        ("professional", "Professional referral"),
        ("social_prescribing", "Social prescribing"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    name = models.CharField(max_length=200)
    description = models.TextField()
    delivery_modes = models.JSONField(default=list, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility = models.TextField(blank=True)
    art_forms = models.ManyToManyField("vocabulary.Term", blank=True, related_name="+")
    populations = models.ManyToManyField("vocabulary.Term", blank=True, related_name="+")
    delivery_settings = models.ManyToManyField("vocabulary.Term", blank=True, related_name="+")
    outcomes = models.ManyToManyField("vocabulary.Term", blank=True, related_name="+")
    themes = models.ManyToManyField("vocabulary.Term", blank=True, related_name="offers")
    areas_served = models.ManyToManyField("places.Area", blank=True, related_name="offers")
    venues = models.ManyToManyField(Venue, through="OfferVenue", blank=True, related_name="offers")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="People per session or cohort.")
    price = models.CharField(max_length=20, choices=Price.choices, default=Price.FREE)
    price_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    schedule = models.CharField(max_length=300, blank=True)
    languages = models.JSONField(default=list, blank=True)
    referral_routes = models.JSONField(default=list, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.ENTERED)
    origin_id = models.CharField(max_length=200, blank=True)
    is_cultural = models.BooleanField(
        null=True,
        blank=True,
        help_text="For imported services: whether the tagger judged it arts, culture or heritage.",
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The offer's and its organisation's words, kept up to date by the services for search.",
    )

    class Meta:
        ordering = ["name"]
        # Every public list filters on status first; the ORUK list counts published offers.
        # (status, id) lets the ORUK list walk published offers in id order without sorting them all.
        indexes = [
            models.Index(fields=["status", "organisation"], name="offer_status_org_idx"),
            models.Index(fields=["status", "id"], name="offer_status_id_idx"),
        ]

    def __str__(self):
        return self.name


class OfferVenue(models.Model):
    """An offer at a venue (an HSDS service_at_location), with its own id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="offer_venues")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="offer_venues")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "venue"], name="unique_offer_venue")]

    def __str__(self):
        return f"{self.offer} at {self.venue}"


class Consortium(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="consortia")
    lead = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="consortia_led"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="consortia"
    )
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_example = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self):
        return self.name


class ConsortiumMember(TimeStampedModel):
    """An organisation's place in a consortium: active only when both sides have confirmed."""

    class State(models.TextChoices):
        INVITED = "invited", "Invited by the consortium"
        REQUESTED = "requested", "Asked to join"
        ACTIVE = "active", "Member"
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed by the consortium"
        DECLINED = "declined", "Declined"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="memberships")
    # Empty while an invitation sent to an email address waits for someone to accept it for their
    # organisation; set from then on.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="consortium_memberships"
    )
    role = models.CharField(max_length=100, blank=True, help_text="For example 'music lead' or 'evaluation'.")
    state = models.CharField(max_length=12, choices=State.choices)
    invited_email = models.EmailField(blank=True)
    invitation_token = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_by_consortium_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_organisation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consortium", "organisation"], name="unique_consortium_member")
        ]

    def __str__(self):
        return f"{self.organisation or self.invited_email} in {self.consortium} ({self.state})"


class OrganisationClaim(TimeStampedModel):
    """Someone asking to look after a listing that has no members yet (one seeded from a public register).

    A claim by an email address at the organisation's own web domain is confirmed by a single-use link
    sent to that address; any other claim waits for an administrator. Claims are kept after they are
    decided, as the record of who was given the listing and why.
    """

    class Method(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", "Email address at the organisation’s domain"
        ADMINISTRATOR = "administrator", "Checked by an administrator"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        VERIFIED = "verified", "Confirmed by email"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Turned down"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_claims"
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    email = models.EmailField(help_text="The address the claimant gave; a link went to it if it matched.")
    evidence = models.TextField(blank=True, help_text="What the claimant told the administrators.")
    # Only a hash of the emailed token is stored, so a copy of the database cannot confirm a claim.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why the claim was approved or turned down.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "claimant"],
                condition=models.Q(state="pending"),
                name="unique_pending_claim",
            )
        ]
        indexes = [models.Index(fields=["state", "method"], name="claim_state_method_idx")]

    def __str__(self):
        return f"{self.claimant} claiming {self.organisation}"

    @property
    def is_expired(self) -> bool:
        """A waiting email claim whose link can no longer be used."""
        return (
            self.state == self.State.PENDING
            and self.token_expires_at is not None
            and self.token_expires_at <= timezone.now()
        )
