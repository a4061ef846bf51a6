"""Opportunities: public procurement notices, gathered into one opportunity per contracting process.

A contracting process (an OCDS `ocid`) is published as a series of releases: a pipeline or market
engagement notice, a tender, an award, a contract. Every release is kept (`Release`), and the
`Opportunity` is compiled from all of them in date order, so it shows the process as it stands now
while its history stays available. Buyers are normalised into `Buyer` and placed in an `Area`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.db import models

from culturehub.core.models import ImportRun, TimeStampedModel
from culturehub.places.models import Area


class Buyer(TimeStampedModel):
    """A public body that buys: a council, an Integrated Care Board, an NHS trust, a department.

    A buyer is the same buyer wherever it publishes when it gives the same identifier (scheme and
    id, as org-id.guide lists them: GB-GOR, GB-COH, GB-NHS...); a buyer with no identifier is known
    by its normalised name. `key` holds whichever of the two identifies it.
    """

    class Type(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated Care Board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        CENTRAL_GOVERNMENT = "central_government", "Central government"
        OTHER = "other", "Other public body"
        UNKNOWN = "unknown", "Not known"

    class Placement(models.TextChoices):
        IDENTIFIER = "identifier", "By its identifier"
        NAME = "name", "By its name"
        NOT_PLACED = "not_placed", "Not placed"

    key = models.CharField(
        max_length=300, unique=True,
        help_text="'scheme:id' for a buyer with an identifier, else 'name:' and its normalised name.",
    )
    name = models.CharField(max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    identifier_scheme = models.CharField(max_length=40, blank=True, help_text="For example GB-COH.")
    identifier = models.CharField(max_length=100, blank=True)
    buyer_type = models.CharField(max_length=20, choices=Type.choices, default=Type.UNKNOWN, db_index=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="buyers")
    placed_by = models.CharField(max_length=12, choices=Placement.choices, default=Placement.NOT_PLACED)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def org_id(self) -> str:
        return f"{self.identifier_scheme}-{self.identifier}" if self.identifier else ""


class Stage(models.TextChoices):
    """Where a contracting process has got to, from its latest notice."""

    PIPELINE = "pipeline", "Pipeline"
    PLANNING = "planning", "Planning and market engagement"
    TENDER = "tender", "Tender"
    AWARD = "award", "Award"
    CONTRACT = "contract", "Contract"
    CANCELLED = "cancelled", "Cancelled"
    CLOSED = "closed", "Closed"
    UNKNOWN = "unknown", "Not known"


class Relevance(models.TextChoices):
    """How far the cultural sector could deliver or join the work (data/RUBRIC.md defines each)."""

    DIRECT = "direct", "Cultural work"
    ADJACENT = "adjacent", "Could deliver part or partner"
    NONE = "none", "Not for the cultural sector"


class Source(models.TextChoices):
    """How a release reached Culture Hub."""

    FIND_A_TENDER = "find-a-tender", "Find a Tender"
    CONTRACTS_FINDER = "contracts-finder", "Contracts Finder"
    FILE = "file", "Imported file"


# Procurement Act 2023 notice types as the UK OCDS extension codes them. UK16 and UK17 are stored
# as published but not given a name here until their wording is confirmed against the guidance.
NOTICE_TYPES = {
    "UK1": "Pipeline notice",
    "UK2": "Preliminary market engagement notice",
    "UK3": "Planned procurement notice",
    "UK4": "Tender notice",
    "UK5": "Transparency notice",
    "UK6": "Contract award notice",
    "UK7": "Contract details notice",
    "UK8": "Payments compliance notice",
    "UK9": "Contract performance notice",
    "UK10": "Contract change notice",
    "UK11": "Contract termination notice",
    "UK12": "Procurement termination notice",
    "UK13": "Dynamic market notice: establishment",
    "UK14": "Dynamic market notice: modification",
    "UK15": "Dynamic market notice: cessation",
}
# Notices from before the Act carry no UK code; their kind comes from the release tags.
TAG_NOTICE_TYPES = {
    "planning": "Planning notice",
    "planningUpdate": "Planning update",
    "tender": "Tender notice",
    "tenderAmendment": "Tender amendment",
    "tenderUpdate": "Tender update",
    "tenderCancellation": "Tender cancellation",
    "award": "Award notice",
    "awardUpdate": "Award update",
    "awardCancellation": "Award cancellation",
    "contract": "Contract notice",
    "contractUpdate": "Contract update",
    "contractAmendment": "Contract amendment",
    "implementation": "Implementation notice",
    "implementationUpdate": "Implementation update",
    "contractTermination": "Contract termination",
}

# OCDS publishers' ocid prefixes, to say where a process was first published.
OCID_PUBLISHERS = {
    "ocds-h6vhtk": "Find a Tender",
    "ocds-b5fd17": "Contracts Finder",
    "ocds-kuma6s": "Sell2Wales",
    "ocds-r6ebe6": "Public Contracts Scotland",
}


NOT_SAID = "Empty when the notice does not say."


def notice_type_label(code: str) -> str:
    if not code:
        return "Not known"
    return NOTICE_TYPES.get(code) or TAG_NOTICE_TYPES.get(code) or code


class Opportunity(TimeStampedModel):
    """One contracting process (ocid), compiled from all its releases in date order.

    Fields below are the compiled view: a later release's value for a field replaces an earlier one,
    as OCDS merging does; a release that says nothing about a field leaves it as it was.
    """

    ocid = models.CharField(max_length=120, unique=True)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    buyer = models.ForeignKey(
        Buyer, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.UNKNOWN, db_index=True)
    notice_type = models.CharField(
        max_length=30, blank=True,
        help_text="The latest notice's type: UK1-UK17 where the notice gives it, else its release tag.",
    )
    is_provider_selection_regime = models.BooleanField(
        default=False, help_text="The notice says it is let under the NHS Provider Selection Regime."
    )
    value_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=3, blank=True)
    tender_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    engagement_dates = models.JSONField(
        default=list, blank=True,
        help_text="Market engagement milestones: a list of {date, title, description}.",
    )
    next_engagement = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="The earliest dated engagement milestone."
    )
    cpv_codes = models.JSONField(default=list, blank=True)
    suitable_for_sme = models.BooleanField(null=True, blank=True, help_text=NOT_SAID)
    suitable_for_vcse = models.BooleanField(null=True, blank=True, help_text=NOT_SAID)
    reserved_participation = models.JSONField(
        default=list, blank=True, help_text="OCDS codes, for example publicServiceMissionOrganization."
    )
    first_published = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True, db_index=True)
    sources = models.JSONField(default=list, blank=True, help_text="How its releases reached Culture Hub.")
    release_count = models.PositiveIntegerField(default=0)
    relevance = models.CharField(
        max_length=8, choices=Relevance.choices, default=Relevance.NONE, db_index=True,
        help_text="Culture Hub's judgement of the compiled notice; commissioners' flags are kept apart.",
    )
    relevance_score = models.FloatField(default=0.0, help_text="How sure the judgement is relevant, 0 to 1.")
    relevance_reasons = models.JSONField(default=list, blank=True)
    themes = models.JSONField(default=list, blank=True, help_text="Priority theme keys, strongest first.")
    art_forms = models.JSONField(
        default=list, blank=True, help_text="Art form keys the tagger reads; only for relevant notices."
    )

    class Meta:
        ordering = ["-last_updated", "ocid"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["relevance", "tender_deadline"], name="opportunity_relevance_deadline")
        ]

    def __str__(self):
        return self.title or self.ocid

    @property
    def notice_type_label(self) -> str:
        return notice_type_label(self.notice_type)

    @property
    def publisher(self) -> str:
        """Who first published the process, from its ocid prefix; "" when the prefix is not known."""
        prefix = "-".join(self.ocid.split("-", 2)[:2])
        return OCID_PUBLISHERS.get(prefix, "")


class Lot(models.Model):
    """A lot of an opportunity's tender, as its latest release describes it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    lot_id = models.CharField(max_length=100)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    value_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=3, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the notice.")

    class Meta:
        ordering = ["opportunity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "lot_id"], name="unique_opportunity_lot")
        ]

    def __str__(self):
        return f"Lot {self.lot_id}: {self.title}"


class ReleaseJSONEncoder(json.JSONEncoder):
    """Writes the Decimals a streaming JSON parser gives as the int or float `json.loads` would give
    for the same text, so a release hashes and stores the same however it was read."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o.as_tuple().exponent == 0 else float(o)
        return super().default(o)


class Release(models.Model):
    """One OCDS release of a contracting process, kept whole so the opportunity can be recompiled.

    `release_id` is the release's own `id`. Some publishers (Public Contracts Scotland) leave it out;
    such a release is given `sha256-` and the start of the hash of its content, which is stable from
    one import to the next, and `id_derived` is set so that nobody mistakes it for a published id.
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="releases")
    release_id = models.CharField(max_length=200)
    id_derived = models.BooleanField(default=False)
    date = models.DateTimeField(null=True, blank=True, db_index=True)
    tags = models.JSONField(default=list, blank=True)
    notice_type = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FILE)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the release JSON, keys sorted.")
    data = models.JSONField(encoder=ReleaseJSONEncoder, help_text="The release as published.")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The import that stored this version of the release.",
    )

    class Meta:
        ordering = ["opportunity", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "release_id"], name="unique_release_per_process")
        ]

    def __str__(self):
        return f"{self.release_id} ({self.date:%Y-%m-%d})" if self.date else self.release_id

    @property
    def notice_type_label(self) -> str:
        return notice_type_label(self.notice_type)


class FeedCursor(models.Model):
    """Where the last live import from a notice service got to, so the next one carries on from there.

    While a pass through the service's pages is under way `cursor` holds the token for the next page,
    saved in the same transaction as the page before it; a run that stops half way resumes there.
    When a pass ends the cursor is cleared and `updated_from` moves on, so the next run asks only for
    notices changed since.
    """

    source = models.CharField(
        max_length=20, unique=True,
        choices=[(Source.FIND_A_TENDER.value, Source.FIND_A_TENDER.label),
                 (Source.CONTRACTS_FINDER.value, Source.CONTRACTS_FINDER.label)],
    )
    cursor = models.CharField(
        max_length=300, blank=True, help_text="The service's token for the next page; blank between passes."
    )
    updated_from = models.DateTimeField(
        null=True, blank=True, help_text="Notices changed since this time are asked for (UTC)."
    )
    last_page_at = models.DateTimeField(null=True, blank=True, help_text="When the last page was stored.")

    def __str__(self):
        return f"{self.source}: {'cursor ' + self.cursor if self.cursor else 'between passes'}"


class RelevanceFlag(TimeStampedModel):
    """A commissioner's (or administrator's) own view of whether a notice is for the cultural sector.

    Flags never overwrite Culture Hub's judgement: both are shown, and the flags are kept as labelled
    examples for improving the judgement later. One flag per person per opportunity; changing one's
    mind updates it.
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relevance_flags"
    )
    relevance = models.CharField(max_length=8, choices=Relevance.choices)
    note = models.CharField(max_length=500, blank=True, help_text="Why, in a sentence, for other readers.")

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "flagged_by"], name="one_flag_per_person")
        ]

    def __str__(self):
        return f"{self.opportunity_id}: {self.relevance}"


class SavedSearch(TimeStampedModel):
    """A person's opportunities search, kept to be alerted to new matches and read as feeds.

    `query` holds the search form's cleaned fields as a query string would give them, so the list page
    re-opens the same search. `feed_token` lets a feed reader or calendar fetch the Atom and iCalendar
    feeds without signing in; it reveals only which public notices match, and can be replaced.
    """

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As soon as a match is found"
        WEEKLY = "weekly", "A weekly summary"
        NEVER = "never", "No emails (feeds only)"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    query = models.JSONField(default=dict, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    feed_token = models.CharField(max_length=64, unique=True)
    alerts_from = models.DateTimeField(
        help_text="Opportunities first matching after this time are alerted; older matches never are."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "saved searches"

    def __str__(self):
        return self.name


class AlertMessage(models.Model):
    """One alert email for one saved search: an immediate alert or one week's summary.

    `period` names the message uniquely for its search (the week for a summary, the batch for an
    immediate alert), so a job that runs twice finds the message already there. The message is
    composed and its matches recorded in one transaction before it is sent; `sent_at` is set when the
    mail server has taken it.
    """

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="messages")
    period = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "period"], name="one_message_per_period")
        ]

    def __str__(self):
        return f"{self.saved_search_id} {self.period}"


class AlertMatch(models.Model):
    """An opportunity alerted to a saved search; unique, so no opportunity is alerted twice."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(AlertMessage, on_delete=models.CASCADE, related_name="matches")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "opportunity"], name="alert_once_per_opportunity")
        ]

    def __str__(self):
        return f"{self.saved_search_id}: {self.opportunity_id}"
