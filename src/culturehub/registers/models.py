"""Public registers: what each register says about an organisation, the money it records, and how
records from several registers were joined into one listing.

An organisation seeded from registers is an ordinary `directory.Organisation` (origin "register",
published, with no members until someone claims it). Everything a register said is kept here, one
`RegisterRecord` per register entry, so a listing can show every source with its licence, and an
administrator can undo a join (`ListingMatch`) that put two different organisations together.
"""

from django.conf import settings
from django.db import models

from culturehub.core.models import ImportRun


class Source(models.TextChoices):
    """The registers Culture Hub reads. Publisher, licence and dates are in `registers.sources`."""

    CHARITIES = "charities", "Register of charities (UK-CAT charity extract)"
    CCEW = "ccew", "Charity Commission for England and Wales register of charities"
    ACE_NPO = "ace_npo", "Arts Council England National Portfolio Organisations 2018-22"
    ACE_PROJECT_GRANTS = "ace_project_grants", "Arts Council England National Lottery Project Grants"
    MUSEUMS = "museums", "Mapping Museums"


class RegisterRecord(models.Model):
    """One entry in one public register, and the listing it belongs to.

    `source_id` is the entry's own key in that register (a charity number, a museum id, an Arts
    Council applicant name), unique within the source, so a second import finds the entry again and
    changes nothing. `data` keeps only the few raw fields the pages show (income, financial year end,
    discipline...), not the whole row. `fingerprint` is a hash of what was stored, so an unchanged
    entry is recognised without comparing every field.
    """

    source = models.CharField(max_length=30, choices=Source.choices)
    source_id = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="register_records"
    )
    name = models.CharField(max_length=300, help_text="The name as the register gives it.")
    postcode = models.CharField(max_length=8, blank=True)
    area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_records",
        help_text="The local authority the register places the entry in, when it says and we hold it.",
    )
    area_basis = models.CharField(
        max_length=120,
        blank=True,
        help_text="How the area was found, e.g. 'local authority in the register'.",
    )
    data = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    last_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["source", "source_id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="unique_register_record")]
        indexes = [models.Index(fields=["area", "source"], name="register_record_area_idx")]

    def __str__(self):
        return f"{self.get_source_display()}: {self.name}"


class Investment(models.Model):
    """Money an Arts Council England programme put into a recipient in one year or award.

    A National Portfolio grant is one row per financial year; a Project Grant is one row per award
    (its year is the financial year of the award date). `organisation` is empty when the recipient is
    a person rather than an organisation: the money still counts towards its place, but no listing is
    made for a private individual.
    """

    class Programme(models.TextChoices):
        NPO = "npo", "National Portfolio"
        PROJECT_GRANTS = "project_grants", "National Lottery Project Grants"

    programme = models.CharField(max_length=20, choices=Programme.choices)
    source_id = models.CharField(max_length=200, help_text="Stable key of the row within its programme.")
    record = models.ForeignKey(
        RegisterRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="investments"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="investments"
    )
    recipient_name = models.CharField(max_length=300)
    year = models.CharField(max_length=7, help_text="Financial year, for example '2018/19'.")
    year_start = models.PositiveSmallIntegerField(help_text="First calendar year of the financial year.")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Pounds sterling.")
    activity_name = models.CharField(max_length=300, blank=True)
    award_date = models.DateField(null=True, blank=True)
    discipline = models.CharField(max_length=60, blank=True, help_text="As Arts Council England gives it.")
    art_form = models.CharField(max_length=40, blank=True, help_text="Our art form key for the discipline.")
    local_authority_name = models.CharField(max_length=150, blank=True, help_text="As published.")
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="investments"
    )
    last_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year_start", "programme", "recipient_name"]
        constraints = [models.UniqueConstraint(fields=["programme", "source_id"], name="unique_investment")]
        indexes = [models.Index(fields=["area", "year_start"], name="investment_area_year_idx")]

    def __str__(self):
        return f"{self.get_programme_display()} {self.year}: {self.recipient_name} £{self.amount:,.0f}"


class MuseumDetail(models.Model):
    """What Mapping Museums records about one museum (open museums in England only)."""

    record = models.OneToOneField(RegisterRecord, on_delete=models.CASCADE, related_name="museum")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="museums"
    )
    name = models.CharField(max_length=300)
    accredited = models.BooleanField(help_text="Arts Council England Accreditation.")
    governance = models.CharField(max_length=60, help_text="Independent, Government, University...")
    governance_subtype = models.CharField(max_length=60, blank=True)
    size = models.CharField(max_length=20, blank=True, help_text="small, medium, large, huge or unknown.")
    subject = models.CharField(max_length=100, blank=True)
    subject_detail = models.CharField(max_length=200, blank=True)
    year_opened = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="museums"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ListingMatch(models.Model):
    """The decision to show a register entry on an existing listing rather than a new one.

    Made by an importer, by identifier (the same charity or company number) or by a fuzzy match of
    name and place; `matched_on` says what was compared. An administrator can reverse it, which moves
    the entry to a listing of its own; the match is kept, with who reversed it and when.
    """

    class Method(models.TextChoices):
        IDENTIFIER = "identifier", "Same register number"
        FUZZY = "fuzzy", "Similar name in the same place"

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="listing_matches"
    )
    record = models.ForeignKey(RegisterRecord, on_delete=models.CASCADE, related_name="matches")
    method = models.CharField(max_length=12, choices=Method.choices)
    score = models.FloatField(
        null=True, blank=True, help_text="Name similarity, 0 to 100, for a fuzzy match."
    )
    matched_on = models.CharField(max_length=400, help_text="What was compared, in words.")
    created_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "listing matches"

    def __str__(self):
        return f"{self.record} matched to {self.organisation} ({self.method})"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
