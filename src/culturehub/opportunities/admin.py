"""The admin site: administrators can correct a buyer's type or place (audited) and read notices and flags.

Notices change only by import, so opportunities and their releases are shown read-only here.
"""

from django.contrib import admin

from culturehub.core.permissions import is_administrator
from culturehub.opportunities.models import Buyer, Lot, Opportunity, Release, RelevanceFlag


class AdministratorsRead(admin.ModelAdmin):
    """Administrators read these by their role, without Django's per-model permissions; nobody adds or
    deletes here (notices come by import, flags from the opportunity page)."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Buyer)
class BuyerAdmin(AdministratorsRead):
    list_display = ["name", "buyer_type", "area", "placed_by", "identifier_scheme", "identifier"]
    list_filter = ["buyer_type", "placed_by"]
    search_fields = ["name", "identifier", "key"]
    raw_id_fields = ["area"]
    readonly_fields = ["key", "normalised_name", "identifier_scheme", "identifier"]

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LotInline(ReadOnlyInline):
    model = Lot
    fields = ["lot_id", "title", "value_amount", "value_currency"]


class ReleaseInline(ReadOnlyInline):
    model = Release
    fields = ["release_id", "date", "notice_type", "tags", "source"]


class FlagInline(ReadOnlyInline):
    model = RelevanceFlag
    fields = ["flagged_by", "relevance", "note", "updated_at"]


@admin.register(Opportunity)
class OpportunityAdmin(AdministratorsRead):
    list_display = ["title", "ocid", "buyer", "stage", "relevance", "tender_deadline", "last_updated"]
    list_filter = ["relevance", "stage", "is_provider_selection_regime"]
    search_fields = ["ocid", "title", "buyer__name"]
    raw_id_fields = ["buyer"]
    inlines = [LotInline, ReleaseInline, FlagInline]


@admin.register(RelevanceFlag)
class RelevanceFlagAdmin(AdministratorsRead):
    list_display = ["opportunity", "flagged_by", "relevance", "updated_at"]
    list_filter = ["relevance"]
    search_fields = ["opportunity__ocid", "opportunity__title", "note"]
    raw_id_fields = ["opportunity", "flagged_by"]
