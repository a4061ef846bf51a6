"""The admin site: administrators correct projects, their plans and who holds the data role.

Participant-level records (participants, contact details, responses, stories, uploads) are deliberately
not here: administrators do not read participants' data unless they hold the data role as a member of
the delivering organisation (see permissions.py), and the admin site would bypass that rule.
"""

from django.contrib import admin

from culturehub.outcomes.models import (
    AttendanceRecord,
    CustomQuestion,
    MeasurementPoint,
    Project,
    ProjectDataRole,
    ProjectField,
    ProjectViewer,
)


class MeasurementPointInline(admin.TabularInline):
    model = MeasurementPoint
    extra = 0


class CustomQuestionInline(admin.TabularInline):
    model = CustomQuestion
    extra = 0


class ProjectFieldInline(admin.TabularInline):
    model = ProjectField
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = AttendanceRecord
    extra = 0


class DataRoleInline(admin.TabularInline):
    model = ProjectDataRole
    fk_name = "project"
    extra = 0
    raw_id_fields = ["user", "granted_by"]


class ViewerInline(admin.TabularInline):
    model = ProjectViewer
    fk_name = "project"
    extra = 0
    raw_id_fields = ["user", "added_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "consortium", "kind", "start_date", "end_date", "is_example"]
    list_filter = ["kind", "is_example"]
    search_fields = ["title", "funder_name", "organisation__name", "consortium__name"]
    raw_id_fields = ["organisation", "consortium", "places", "offers", "outcomes", "themes", "created_by"]
    readonly_fields = ["participant_data_deleted_at"]
    inlines = [
        MeasurementPointInline,
        CustomQuestionInline,
        ProjectFieldInline,
        AttendanceInline,
        DataRoleInline,
        ViewerInline,
    ]
