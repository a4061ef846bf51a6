"""Outcome measurement: projects, their measurement plan, pseudonymous participants and their responses.

Participant-level records (Participant, ContactDetails, Response, Story) are personal data: the
permission rules in selectors.py decide who reads them, and every read and change is in the audit trail.
Aggregates are computed from them on the fly; when a project's retention period ends the participant-level
records are deleted and an AggregateSnapshot keeps the figures (see services.outcomes_retention_apply).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from culturehub.core.models import TimeStampedModel

DEFAULT_MIN_CELL_SIZE = 10
DEFAULT_RETENTION_MONTHS = 24


class Project(TimeStampedModel):
    """A programme an organisation or a consortium delivers, for a commissioner or funder."""

    class Kind(models.TextChoices):
        COMMISSIONED = "commissioned", "Commissioned"
        GRANT_FUNDED = "grant_funded", "Grant-funded"
        PILOT = "pilot", "Pilot"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_projects",
    )
    consortium = models.ForeignKey(
        "directory.Consortium",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcome_projects",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the project does, for whom, in plain words.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    funder_name = models.CharField(
        "commissioner or funder", max_length=200, help_text="The body that commissioned or funds it."
    )
    places = models.ManyToManyField("places.Area", blank=True, related_name="outcome_projects")
    offers = models.ManyToManyField("directory.Offer", blank=True, related_name="outcome_projects")
    outcomes = models.ManyToManyField(
        "vocabulary.Term", blank=True, related_name="+", help_text="Outcomes the project targets."
    )
    themes = models.ManyToManyField(
        "vocabulary.Term", blank=True, related_name="+", help_text="Priority themes the project targets."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    instruments = models.JSONField(
        default=list, blank=True, help_text="Keys of the instruments used, like ['swemwbs', 'ons4']."
    )
    change_thresholds = models.JSONField(
        "meaningful-change thresholds",
        default=dict,
        blank=True,
        help_text="Overrides of each instrument's default, keyed 'swemwbs' or 'ons4:life_satisfaction'.",
    )
    min_cell_size = models.PositiveSmallIntegerField(
        "smallest count shown outside the organisation", default=DEFAULT_MIN_CELL_SIZE
    )
    retention_months = models.PositiveSmallIntegerField(
        "months participant data is kept after the project ends", default=DEFAULT_RETENTION_MONTHS
    )
    collects_contact_details = models.BooleanField(default=False)
    contact_details_purpose = models.TextField(blank=True, help_text="Why contact details are collected.")
    consent_version = models.CharField(max_length=40, blank=True, help_text="Like 'v1, May 2026'.")
    consent_wording = models.TextField(blank=True, help_text="What participants agree to.")
    is_example = models.BooleanField(default=False, help_text="Demo data: an example, not a real project.")
    participant_data_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retention period ended and participant data was deleted."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, consortium__isnull=True)
                | Q(organisation__isnull=True, consortium__isnull=False),
                name="project_delivered_by_one",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def delivered_by(self):
        return self.organisation or self.consortium


class MeasurementPoint(models.Model):
    """When the project measures: baseline first, then end and follow-up (ordered by position)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measurement_points")
    key = models.SlugField(max_length=30, help_text="The timepoint in uploads, like 'pre' or 'post'.")
    name = models.CharField(max_length=100, help_text="Like 'Baseline' or 'Three-month follow-up'.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="unique_measurement_point_key")
        ]

    def __str__(self):
        return f"{self.name} ({self.key})"

    @property
    def is_baseline(self) -> bool:
        return self.position == 0


class CustomQuestion(models.Model):
    """A project's own question, answered with a whole number; its key is also its CSV column."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="custom_questions")
    key = models.SlugField(max_length=40, help_text="Letters, digits and underscores, like 'confidence'.")
    question = models.CharField(max_length=300)
    minimum = models.SmallIntegerField(default=1)
    maximum = models.SmallIntegerField(default=5)
    higher_is_better = models.BooleanField(default=True)
    meaningful_change = models.FloatField(default=1.0)

    class Meta:
        ordering = ["project", "key"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="unique_custom_question_key")]

    def __str__(self):
        return self.question


class AttendanceRecord(TimeStampedModel):
    """Sessions delivered and attendance, for the whole project or for one period of it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attendance_records")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    sessions = models.PositiveIntegerField("number of sessions")
    attendances = models.PositiveIntegerField("total attendances")
    unique_people = models.PositiveIntegerField("different people who came")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "period_start", "pk"]

    def __str__(self):
        period = f"{self.period_start} to {self.period_end}" if self.period_start else "whole project"
        return f"Attendance, {period}"


class ProjectField(models.Model):
    """Something the project chooses to collect about participants, with the reason it needs it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participant_fields")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    purpose = models.TextField(help_text="Why the project collects it: shown wherever it is asked.")
    choices = models.JSONField(default=list, blank=True, help_text="Allowed answers; empty for free text.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="unique_project_field_key")]

    def __str__(self):
        return self.name


class ProjectDataRole(TimeStampedModel):
    """A member of the delivering organisation trusted with this project's participant-level data.

    It counts only while the person is still a member of the delivering organisation (or consortium).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="data_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="unique_project_data_role")]

    def __str__(self):
        return f"{self.user} holds the data role for {self.project}"


class ProjectViewer(TimeStampedModel):
    """A commissioner's or funder's account that may see the project's aggregates (never participants)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="viewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="unique_project_viewer")]

    def __str__(self):
        return f"{self.user} sees {self.project}"


class Participant(TimeStampedModel):
    """A person taking part, known only by a code unique within the project."""

    class AgeBand(models.TextChoices):
        UNDER_16 = "under_16", "Under 16"
        FROM_16 = "16_24", "16 to 24"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_74", "65 to 74"
        FROM_75 = "75_84", "75 to 84"
        FROM_85 = "85_plus", "85 or over"
        NOT_SAID = "not_said", "Prefer not to say"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(max_length=40, help_text="The project's pseudonymous code, like P-7K3Q.")
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    field_values = models.JSONField(default=dict, blank=True, help_text="Values of the project's fields.")
    consent_date = models.DateField()
    consent_version = models.CharField(max_length=40, blank=True)
    consent_wording = models.TextField(blank=True, help_text="The wording agreed to, as it was then.")

    class Meta:
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="unique_participant_code")]

    def __str__(self):
        return self.code


class ContactDetails(TimeStampedModel):
    """How to reach a participant: kept apart, shown only to the delivering organisation's data role."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="contact_details")
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "contact details"

    def __str__(self):
        # The audit trail keeps this text, so it must not identify the person.
        return f"Contact details of {self.participant.code}"


class ResponseUpload(models.Model):
    """One CSV file of responses as uploaded, with what happened to each row."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="uploads")
    instrument = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{'line': 3, 'reason': '...'}, ...]")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class Response(TimeStampedModel):
    """One participant's answers to one instrument at one measurement point, with its score.

    Unique per (participant, point, instrument): entering or uploading again updates it.
    """

    class Source(models.TextChoices):
        WEB = "web", "Web form"
        UPLOAD = "upload", "CSV upload"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responses")
    point = models.ForeignKey(MeasurementPoint, on_delete=models.RESTRICT, related_name="responses")
    instrument = models.CharField(max_length=20)
    answers = models.JSONField(default=dict, help_text="Item values as given, like {'q1': 4, 'q2': 3}.")
    valid = models.BooleanField(default=False)
    raw = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    measures = models.JSONField(
        default=dict, blank=True, help_text="Per-measure scores and bands (ONS4), {'anxiety': {...}}."
    )
    error = models.CharField(max_length=300, blank=True, help_text="Why the response could not be scored.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    upload = models.ForeignKey(
        ResponseUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )

    class Meta:
        ordering = ["participant", "point__position", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "point", "instrument"], name="unique_response_per_point"
            )
        ]
        indexes = [models.Index(fields=["instrument", "point"], name="response_instrument_point_idx")]

    def __str__(self):
        return f"{self.participant.code}, {self.instrument} at {self.point.key}"


class Story(TimeStampedModel):
    """A participant's own account, shared with their consent for the project's report."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stories")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    attribution = models.CharField(
        max_length=150, blank=True, help_text="How the report credits it, like 'A participant, 70s'."
    )
    consent_date = models.DateField()
    consent_wording = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-consent_date", "pk"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.title or f"Story shared {self.consent_date}"


class AggregateSnapshot(models.Model):
    """The project's aggregate figures, kept when its participant-level data is deleted.

    `data` holds what the report shows (paired change per instrument, measure and point; counts taking
    part), computed just before deletion; after it, reports read this instead of the responses.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="aggregate_snapshots")
    computed_at = models.DateTimeField()
    reason = models.CharField(max_length=100, help_text="Like 'retention period ended'.")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["project", "-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self):
        return f"Aggregates of {self.project} at {self.computed_at:%Y-%m-%d}"
