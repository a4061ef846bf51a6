"""The shared vocabulary: schemes (themes, art forms, populations, settings, outcomes) and terms."""

from django.db import models

from culturehub.core.models import TimeStampedModel

THEME_KEYS = (
    "prevention_wellbeing",
    "mental_health",
    "non_medical",
    "communities",
    "isolation",
    "children_young_people",
    "dementia",
)


class Scheme(TimeStampedModel):
    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    version = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self):
        return self.label


class TermQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired=False)

    def themes(self):
        return self.current().filter(scheme__key="themes")


class Term(TimeStampedModel):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="terms")
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    synonyms = models.JSONField(default=list, blank=True)
    commissioner_terms = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    themes = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="served_by",
        help_text="For outcomes: the priority themes the outcome serves.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text="No longer in the taxonomy files; kept because records use it."
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["scheme__position", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key"], name="unique_term_key_per_scheme")
        ]

    def __str__(self):
        return self.label


class AssignedTag(models.Model):
    """A vocabulary term on a directory record, put there by the tagger or by a person.

    A person's decision (that the term applies, or that it does not) is kept beside the tagger's and
    wins over it; re-running the tagger replaces only the tagger's own rows.
    """

    class Source(models.TextChoices):
        TAGGER = "tagger", "Tagger"
        PERSON = "person", "Person"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="assignments")
    source = models.CharField(max_length=10, choices=Source.choices)
    applies = models.BooleanField(
        default=True, help_text="False where a person said the term does not apply."
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "term", "source"], name="one_tag_per_term_source"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="assigned_tag_object_idx")]

    def __str__(self):
        return f"{self.term} ({self.get_source_display()})"
