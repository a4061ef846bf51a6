"""Places: areas and their hierarchy, indicators with their sources, and local priorities."""

from django.conf import settings
from django.db import models

from culturehub.core.models import ImportRun, TimeStampedModel


class Area(TimeStampedModel):
    """An English area with its current ONS code."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        COUNTY = "county", "County council (upper tier)"
        DISTRICT = "district", "District council (lower tier)"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        ICB = "icb", "Integrated Care Board"

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=150, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    upper_tier = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="districts",
        help_text="For a district: its county. Unitary authorities are their own upper tier.",
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="region_members"
    )
    icbs = models.ManyToManyField(
        "self", through="AreaIcb", symmetrical=False, related_name="icb_areas", blank=True
    )
    nhs_code = models.CharField(max_length=5, blank=True, help_text="NHS ODS code, for an ICB.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_local_authority(self) -> bool:
        return self.kind in {
            self.Kind.COUNTY, self.Kind.DISTRICT, self.Kind.UNITARY,
            self.Kind.METROPOLITAN, self.Kind.LONDON_BOROUGH,
        }

    @property
    def is_upper_tier(self) -> bool:
        return self.kind in {
            self.Kind.COUNTY, self.Kind.UNITARY, self.Kind.METROPOLITAN, self.Kind.LONDON_BOROUGH,
        }


class AreaIcb(models.Model):
    """A local authority district's Integrated Care Board, with the share of it the ICB covers."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="icb_links")
    icb = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="district_links")
    share = models.FloatField(help_text="Share of the district's small areas (LSOAs) in this ICB.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "icb"], name="unique_area_icb")]

    def __str__(self):
        return f"{self.area_id} in {self.icb_id} ({self.share:.0%})"


class AreaAlias(models.Model):
    """An earlier ONS code that now resolves to a current area."""

    code = models.CharField(max_length=9, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=150, blank=True, help_text="The area's name under that code.")
    note = models.CharField(max_length=200, blank=True)
    same_area = models.BooleanField(
        default=True,
        help_text=(
            "True when only the code changed. False when the old area merged with others into the "
            "current one: its figures describe part of the area, so importers do not load them."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "area aliases"

    def __str__(self):
        return f"{self.code} -> {self.area.code}"


class DataSource(TimeStampedModel):
    """Who published a set of figures, under which licence."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    licence = models.CharField(max_length=200)
    licence_url = models.URLField(max_length=500, blank=True)
    attribution = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Indicator(TimeStampedModel):
    class Polarity(models.TextChoices):
        HIGH_IS_GOOD = "high_is_good", "High is good"
        LOW_IS_GOOD = "low_is_good", "Low is good"
        NO_JUDGEMENT = "no_judgement", "No judgement"

    key = models.SlugField(max_length=60, unique=True)
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="indicators")
    external_id = models.CharField(max_length=40, blank=True, help_text="Fingertips indicator ID.")
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=60, blank=True)
    value_type = models.CharField(max_length=100, blank=True)
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.NO_JUDGEMENT
    )
    benchmark_method = models.CharField(max_length=120, blank=True)
    headline = models.BooleanField(default=False, help_text="Shown in the profile's headline list.")
    themes = models.ManyToManyField(
        "vocabulary.Term", blank=True, related_name="indicators",
        help_text="Priority themes this indicator informs.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """One published figure: an indicator for an area, period and breakdown."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicator_values")
    period = models.CharField(max_length=40, help_text="As published, for example '2021/22'.")
    period_start = models.PositiveSmallIntegerField(help_text="First year of the period, for sorting.")
    sex = models.CharField(max_length=20, default="Persons")
    age = models.CharField(max_length=40, default="All ages")
    category_type = models.CharField(max_length=150, blank=True)
    category = models.CharField(max_length=150, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower_ci = models.FloatField(null=True, blank=True)
    upper_ci = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=200, blank=True)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "sex", "age", "category_type", "category"],
                name="unique_indicator_value",
            )
        ]
        indexes = [models.Index(fields=["area", "indicator", "period_start"])]

    def __str__(self):
        return f"{self.indicator_id} {self.area_id} {self.period}: {self.value}"


class Priority(TimeStampedModel):
    """A place's priority as one of its public documents states it, summarised in our words."""

    class DocumentType(models.TextChoices):
        JSNA = "jsna", "Joint Strategic Needs Assessment"
        HEALTH_AND_WELLBEING_STRATEGY = "health_and_wellbeing_strategy", "Health and Wellbeing Strategy"
        DPH_ANNUAL_REPORT = "dph_annual_report", "Director of Public Health annual report"
        ICB_JOINT_FORWARD_PLAN = "icb_joint_forward_plan", "ICB joint forward plan"
        INTEGRATED_CARE_STRATEGY = "integrated_care_strategy", "Integrated care strategy"
        MARKET_POSITION_STATEMENT = "market_position_statement", "Market position statement"
        OTHER = "other", "Other public document"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    themes = models.ManyToManyField("vocabulary.Term", blank=True, related_name="priorities")
    document_type = models.CharField(max_length=40, choices=DocumentType.choices)
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500)
    source_date = models.CharField(
        max_length=40, blank=True, help_text="Publication date or period, for example '2022-2030'."
    )
    source_note = models.CharField(
        max_length=400, blank=True,
        help_text="Anything a reader should know about the source, such as why no date is given.",
    )
    publisher = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["area", "title"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"{self.area.name}: {self.title}"
