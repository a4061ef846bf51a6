from django.contrib import admin

from culturehub.registers.models import Investment, ListingMatch, MuseumDetail, RegisterRecord


@admin.register(RegisterRecord)
class RegisterRecordAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "source_id", "area", "last_seen")
    list_filter = ("source",)
    search_fields = ("name", "source_id")
    raw_id_fields = ("organisation", "area", "last_run")


@admin.register(Investment)
class InvestmentAdmin(admin.ModelAdmin):
    list_display = ("recipient_name", "programme", "year", "amount", "local_authority_name")
    list_filter = ("programme", "year")
    search_fields = ("recipient_name", "activity_name")
    raw_id_fields = ("record", "organisation", "area", "last_run")


@admin.register(MuseumDetail)
class MuseumDetailAdmin(admin.ModelAdmin):
    list_display = ("name", "governance", "size", "accredited", "area")
    list_filter = ("accredited", "governance", "size")
    search_fields = ("name",)
    raw_id_fields = ("record", "organisation", "area")


@admin.register(ListingMatch)
class ListingMatchAdmin(admin.ModelAdmin):
    """Read-only: a match is undone with the "Undo this match" page, which records who did it."""

    list_display = ("record", "organisation", "method", "score", "reversed_at")
    list_filter = ("method",)
    readonly_fields = [field.name for field in ListingMatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
