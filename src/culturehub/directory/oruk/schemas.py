"""Response shapes of the Open Referral UK API, for django-ninja and the OpenAPI document.

They mirror the UK profile's schemas (copied in `schema/`): only the fields Culture Hub fills are
declared, all optional ones default to None and are left out of responses (the router sets
exclude_unset), and the tests check every real response against the profile's JSON schemas, which
stay the authority.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from uuid import UUID

from ninja import Schema
from pydantic import Field


class ApiInfoOut(Schema):
    version: str = Field(description="HSDS version of this API.")
    profile: str = Field(description="URL of the information on the HSDS profile of this API.")
    openapi_url: str = Field(description="URL of the openapi JSON file which defines this API.")


class TaxonomyTermOut(Schema):
    id: UUID
    name: str
    description: str
    parent_id: UUID | None = None
    taxonomy: str | None = None
    taxonomy_id: UUID | None = None
    term_uri: str | None = None
    term: str | None = None


class TaxonomyOut(Schema):
    id: UUID
    name: str
    description: str
    uri: str | None = None
    version: str | None = None
    taxonomy_terms: list[TaxonomyTermOut] | None = None


class AttributeOut(Schema):
    id: UUID
    link_id: UUID | None = None
    taxonomy_term_id: UUID | None = None
    link_type: str | None = None
    taxonomy_term: TaxonomyTermOut | None = None


class OrganizationIdentifierOut(Schema):
    id: UUID
    organization_id: UUID | None = None
    identifier_scheme: str | None = None
    identifier_type: str
    identifier: str


class OrganizationSummaryOut(Schema):
    id: UUID
    name: str
    description: str
    email: str | None = None
    website: str | None = None


class OrganizationOut(OrganizationSummaryOut):
    organization_identifiers: list[OrganizationIdentifierOut] | None = None


class AddressOut(Schema):
    id: UUID
    location_id: UUID | None = None
    address_1: str
    city: str
    state_province: str
    postal_code: str
    country: str
    address_type: str


class AccessibilityOut(Schema):
    id: UUID
    location_id: UUID | None = None
    description: str | None = None


class LocationSummaryOut(Schema):
    id: UUID
    location_type: str
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class LocationOut(LocationSummaryOut):
    addresses: list[AddressOut] | None = None
    accessibility: list[AccessibilityOut] | None = None


class ScheduleOut(Schema):
    id: UUID
    service_id: UUID | None = None
    description: str | None = None


class ServiceAreaOut(Schema):
    id: UUID
    service_id: UUID | None = None
    name: str | None = None
    service_area: str | None = None
    uri: str | None = None


class LanguageOut(Schema):
    id: UUID
    service_id: UUID | None = None


class CostOptionOut(Schema):
    id: UUID
    service_id: UUID | None = None
    option: str | None = None
    amount: int | float | None = None
    amount_description: str | None = None


class ContactOut(Schema):
    id: UUID
    service_id: UUID | None = None
    name: str | None = None


class ServiceSummaryOut(Schema):
    id: UUID
    organization_id: UUID | None = None
    name: str
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: str
    minimum_age: int | float | None = None
    maximum_age: int | float | None = None
    last_modified: str | None = None
    organization: OrganizationSummaryOut | None = None


class ServiceInLocationOut(ServiceSummaryOut):
    """A fully nested service as it appears inside a service_at_location: without its locations."""

    organization: OrganizationOut | None = None
    schedules: list[ScheduleOut] | None = None
    service_areas: list[ServiceAreaOut] | None = None
    languages: list[LanguageOut] | None = None
    cost_options: list[CostOptionOut] | None = None
    contacts: list[ContactOut] | None = None
    attributes: list[AttributeOut] | None = None


class ServiceLocationOut(Schema):
    id: UUID
    service_id: UUID | None = None
    location_id: UUID | None = None
    location: LocationOut | None = None


class ServiceOut(ServiceInLocationOut):
    service_at_locations: list[ServiceLocationOut] | None = None


class ServiceAtLocationSummaryOut(Schema):
    id: UUID
    service_id: UUID | None = None
    location_id: UUID | None = None
    location: LocationSummaryOut | None = None
    service: ServiceSummaryOut | None = None


class ServiceAtLocationOut(ServiceAtLocationSummaryOut):
    location: LocationOut | None = None
    service: ServiceInLocationOut | None = None


class Page(Schema):
    total_items: int = Field(description="The total number of entities matching the request.")
    total_pages: int = Field(description="Count of total pages.")
    page_number: int = Field(description="The number of the current page (the first is 1).")
    size: int = Field(description="The number of entities in the current page.")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="Whether the current page has no entities.")


class ServicePage(Page):
    contents: list[ServiceSummaryOut]


class ServiceAtLocationPage(Page):
    contents: list[ServiceAtLocationSummaryOut]


class TaxonomyPage(Page):
    contents: list[TaxonomyOut]


class TaxonomyTermPage(Page):
    contents: list[TaxonomyTermOut]


class ErrorOut(Schema):
    detail: str
