"""Shared base models: timestamps and the record of every import run."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ImportRun(models.Model):
    """One run of one importer: where it read from, what it did, and every row it rejected."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    source = models.CharField(max_length=60, db_index=True)
    location = models.CharField(max_length=1000, help_text="File path or URL read by the run.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Well-formed rows not kept (an area Culture Hub does not hold, say)."
    )
    message = models.TextField(blank=True, help_text="Why the run failed, or a summary.")
    log = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} import {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def changed_anything(self) -> bool:
        return bool(self.rows_created or self.rows_updated)


class ImportRowError(models.Model):
    """A row an import rejected: its line in the input, the field at fault and what to do."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField(null=True, blank=True)
    field = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self):
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.message}"
