"""The admin site: administrators can correct any directory record (changes go to the audit trail)."""

from django.contrib import admin

from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    OfferVenue,
    Organisation,
    OrganisationIdentifier,
    OrganisationMembership,
    Venue,
)


class IdentifierInline(admin.TabularInline):
    model = OrganisationIdentifier
    extra = 0


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "status", "is_example", "origin"]
    list_filter = ["status", "legal_form", "is_example", "origin"]
    search_fields = ["name", "identifiers__identifier", "postcode"]
    raw_id_fields = ["areas_served"]
    inlines = [IdentifierInline, MembershipInline]


class OfferVenueInline(admin.TabularInline):
    model = OfferVenue
    extra = 0
    raw_id_fields = ["venue"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "price", "origin", "is_cultural"]
    list_filter = ["status", "price", "origin", "is_cultural"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation", "areas_served"]
    filter_horizontal = ["art_forms", "populations", "delivery_settings", "outcomes", "themes"]
    readonly_fields = ["search_text"]
    inlines = [OfferVenueInline]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "postcode", "organisation"]
    search_fields = ["name", "town", "postcode", "organisation__name"]
    raw_id_fields = ["organisation"]


class ConsortiumMemberInline(admin.TabularInline):
    model = ConsortiumMember
    extra = 0
    raw_id_fields = ["organisation"]
    exclude = ["invitation_token"]


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "lead", "coordinator", "status", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["name", "area__name"]
    raw_id_fields = ["area", "lead", "coordinator"]
    inlines = [ConsortiumMemberInline]
