"""GOV.UK forms for the directory. The services check the values and say what is wrong; the forms turn
typed text into the objects the services take (places, vocabulary terms, lists) and show the errors."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from culturehub.core.forms import ServiceForm
from culturehub.directory.models import Offer, Organisation, Venue
from culturehub.directory.services import IDENTIFIER_FIELDS, TERM_SCHEMES
from culturehub.directory.validators import CHC, COH, NIC, OSCR
from culturehub.places.models import Area
from culturehub.places.selectors import area_resolve
from culturehub.vocabulary.models import Scheme, Term

PLACES_HINT = (
    "Enter ONS codes or place names, separated by commas, like ‘E08000025, Derby’. A county includes "
    "its districts."
)
_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z]\d{8})\)\s*$")


def _place_for(text: str) -> Area:
    """The area a person meant by a code, a name, or 'Name (CODE)' as the form shows saved places."""
    match = _CODE_IN_BRACKETS.search(text)
    area = area_resolve(code=match.group(1) if match else text)
    if area is not None:
        return area
    named = list(Area.objects.filter(name__iexact=text.strip()).order_by("code")[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise ValidationError(
            f"More than one place is called ‘{text}’; enter its ONS code instead, like {named[0].code}"
        )
    raise ValidationError(
        f"We could not find a place called ‘{text}’. Enter its ONS code, like E08000025, or its full "
        "name, like Birmingham"
    )


def places_display(areas) -> str:
    return ", ".join(f"{area.name} ({area.code})" for area in areas)


class PlacesField(forms.CharField):
    """Places typed as codes or names; cleans to a list of Areas (each at most once)."""

    def __init__(self, *, single: bool = False, **kwargs):
        self.single = single
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value) or ""
        parts = [part.strip() for part in re.split(r"[,;\n]+", text) if part.strip()]
        if self.single and len(parts) > 1:
            raise ValidationError("Enter one place, like Birmingham or E08000025")
        areas, problems = [], []
        for part in parts:
            try:
                area = _place_for(part)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            if area not in areas:
                areas.append(area)
        if problems:
            raise ValidationError(problems)
        if self.single:
            return areas[0] if areas else None
        return areas


def _text_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]+", text or "") if part.strip()]


# ---------------------------------------------------------------------------------------------------
# Organisations and venues
# ---------------------------------------------------------------------------------------------------

IDENTIFIER_LABELS = {
    CHC: ("Charity number in England and Wales (optional)", "6 or 7 digits, like 1234567"),
    COH: ("Company number (optional)", "8 characters, like 01234567 or SC123456"),
    OSCR: ("Scottish charity number (optional)", "SC and 6 digits, like SC012345"),
    NIC: ("Northern Ireland charity number (optional)", "6 digits, like 100012"),
}


class OrganisationForm(ServiceForm):
    check_with_service_when_invalid = True
    name = forms.CharField(label="Name of the organisation", required=False)
    legal_form = forms.ChoiceField(
        label="What kind of organisation is it?",
        required=False,
        choices=[("", "Choose a kind of organisation"), *Organisation.LegalForm.choices],
        error_messages={"invalid_choice": "Select the kind of organisation"},
    )
    description = forms.CharField(
        label="What the organisation does",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what you offer and who you work with, in plain words.",
    )
    website = forms.CharField(
        label="Website (optional)",
        required=False,
        help_text="For example https://www.example.org",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )
    email = forms.CharField(
        label="Contact email address (optional)",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "email", "type": "email"}),
    )
    phone = forms.CharField(
        label="Contact phone number (optional)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    address = forms.CharField(label="Address (optional)", required=False)
    town = forms.CharField(label="Town or city (optional)", required=False)
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    areas_served = PlacesField(label="Places you serve (optional)", help_text=PLACES_HINT)
    income_band = forms.ChoiceField(
        label="Yearly income (optional)",
        required=False,
        choices=[("", "Choose an income band"), *Organisation.IncomeBand.choices],
        error_messages={"invalid_choice": "Select an income band from the list"},
    )
    accessibility = forms.CharField(
        label="Access information (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example step-free access, hearing loops, quiet spaces.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for scheme, field_name in IDENTIFIER_FIELDS.items():
            label, hint = IDENTIFIER_LABELS[scheme]
            self.fields[field_name] = forms.CharField(
                label=label,
                help_text=hint,
                required=False,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
            )
        # The mixin styled the fields that existed before these; style the new ones the same way.
        for field_name in IDENTIFIER_FIELDS.values():
            widget = self.fields[field_name].widget
            widget.attrs["class"] = f"govuk-input {widget.attrs.get('class', '')}".strip()
            widget.attrs["aria-describedby"] = f"id_{self.add_prefix(field_name)}-hint"

    identifier_field_names = list(IDENTIFIER_FIELDS.values())

    @staticmethod
    def initial_for(organisation: Organisation) -> dict:
        initial = {
            name: getattr(organisation, name)
            for name in (
                "name",
                "legal_form",
                "description",
                "website",
                "email",
                "phone",
                "address",
                "town",
                "postcode",
                "income_band",
                "accessibility",
            )
        }
        initial["areas_served"] = places_display(organisation.areas_served.order_by("name"))
        for identifier in organisation.identifiers.all():
            initial[IDENTIFIER_FIELDS[identifier.scheme]] = identifier.identifier
        return initial

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            name: data.get(name, "")
            for name in (
                "name",
                "legal_form",
                "description",
                "website",
                "email",
                "phone",
                "address",
                "town",
                "postcode",
                "income_band",
                "accessibility",
            )
        }
        arguments["areas_served"] = data.get("areas_served") or []
        arguments["identifiers"] = {scheme: data.get(name, "") for scheme, name in IDENTIFIER_FIELDS.items()}
        return arguments


class VenueForm(ServiceForm):
    name = forms.CharField(label="Name of the venue", required=False)
    address = forms.CharField(label="Address", required=False)
    town = forms.CharField(label="Town or city", required=False)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    accessibility = forms.CharField(
        label="Access information (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def initial_for(venue: Venue) -> dict:
        return {
            name: getattr(venue, name) for name in ("name", "address", "town", "postcode", "accessibility")
        }

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------------------------------

TERM_HINTS = {
    "themes": "The priority themes your offer serves.",
    "art_forms": "The art forms and approaches you use.",
    "populations": "Who the offer is for.",
    "delivery_settings": "Where it happens.",
    "outcomes": "What it aims to change for people.",
}


class OfferForm(ServiceForm):
    check_with_service_when_invalid = True
    name = forms.CharField(label="Name of the offer", required=False)
    description = forms.CharField(
        label="What you deliver and how",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    delivery_modes = forms.MultipleChoiceField(
        label="How is it delivered? (optional)",
        required=False,
        choices=Offer.DELIVERY_MODES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select how the offer is delivered from the list"},
    )
    minimum_age = forms.CharField(
        label="Youngest age (optional)",
        required=False,
        help_text="In years, from 0 to 120.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    maximum_age = forms.CharField(
        label="Oldest age (optional)",
        required=False,
        help_text="In years, from 0 to 120.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    eligibility = forms.CharField(
        label="Who can take part (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example ‘adults living with dementia and their carers’.",
    )
    capacity = forms.CharField(
        label="Number of people per session or group (optional)",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    price = forms.ChoiceField(
        label="How is it charged?",
        required=False,
        choices=Offer.Price.choices,
        error_messages={"invalid_choice": "Select how the offer is charged"},
    )
    price_amount = forms.CharField(
        label="Amount in pounds (optional)",
        required=False,
        help_text="For example 12.50. Leave empty if free.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    schedule = forms.CharField(
        label="When it happens (optional)",
        required=False,
        help_text="For example ‘Tuesdays 2pm to 4pm, term time’.",
    )
    languages = forms.CharField(
        label="Languages (optional)",
        required=False,
        help_text="Separate languages with commas.",
    )
    referral_routes = forms.MultipleChoiceField(
        label="How can people join? (optional)",
        required=False,
        choices=Offer.REFERRAL_ROUTES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select how people are referred from the list"},
    )
    areas_served = PlacesField(label="Places served (optional)", help_text=PLACES_HINT)
    venues = forms.ModelMultipleChoiceField(
        label="Venues (optional)",
        required=False,
        queryset=Venue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select venues from your organisation’s list",
            "invalid_pk_value": "Select venues from your organisation’s list",
        },
    )
    contact_name = forms.CharField(label="Contact name (optional)", required=False)
    contact_email = forms.CharField(
        label="Contact email address (optional)",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "email"}),
    )
    contact_phone = forms.CharField(
        label="Contact phone number (optional)",
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    url = forms.CharField(
        label="Web page about the offer (optional)",
        required=False,
        help_text="For example https://www.example.org/choir",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venues"].queryset = organisation.venues.order_by("name")
        schemes = {scheme.key: scheme for scheme in Scheme.objects.filter(key__in=TERM_SCHEMES.values())}
        terms = Term.objects.current().filter(scheme__key__in=TERM_SCHEMES.values()).select_related("scheme")
        for field_name, scheme_key in TERM_SCHEMES.items():
            scheme = schemes.get(scheme_key)
            field = forms.ModelMultipleChoiceField(
                label=f"{scheme.label if scheme else scheme_key.replace('_', ' ').capitalize()} (optional)",
                required=False,
                queryset=terms.filter(scheme__key=scheme_key),
                widget=forms.CheckboxSelectMultiple,
                help_text=TERM_HINTS[field_name],
                error_messages={
                    "invalid_choice": "Select terms from the list",
                    "invalid_pk_value": "Select terms from the list",
                },
            )
            field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(field_name)}-hint"
            self.fields[field_name] = field
        self.order_fields(self.FIELD_ORDER)

    term_field_names = list(TERM_SCHEMES)
    # The order on the page; the template puts a heading before each section's first field.
    FIELD_ORDER = [
        "name",
        "description",
        "delivery_modes",
        "themes",
        "outcomes",
        "art_forms",
        "populations",
        "delivery_settings",
        "minimum_age",
        "maximum_age",
        "eligibility",
        "areas_served",
        "venues",
        "schedule",
        "capacity",
        "price",
        "price_amount",
        "referral_routes",
        "languages",
        "contact_name",
        "contact_email",
        "contact_phone",
        "url",
    ]
    SECTION_HEADINGS = {
        "themes": (
            "What it is for, in the shared vocabulary",
            "Commissioners search by these words. Choose the ones that fit.",
        ),
        "minimum_age": ("Who, where and when", ""),
        "price": ("Price and how people join", ""),
        "contact_name": (
            "Contact",
            "Leave these empty to send people to the organisation’s own contact details.",
        ),
    }

    def sections(self):
        """(heading, hint, bound field) for the template: a heading only before a section's first field."""
        for bound in self:
            heading, hint = self.SECTION_HEADINGS.get(bound.name, ("", ""))
            yield heading, hint, bound

    @staticmethod
    def initial_for(offer: Offer) -> dict:
        initial = {
            name: getattr(offer, name)
            for name in (
                "name",
                "description",
                "delivery_modes",
                "minimum_age",
                "maximum_age",
                "eligibility",
                "capacity",
                "price",
                "price_amount",
                "schedule",
                "referral_routes",
                "contact_name",
                "contact_email",
                "contact_phone",
                "url",
            )
        }
        initial["languages"] = ", ".join(offer.languages or [])
        initial["areas_served"] = places_display(offer.areas_served.order_by("name"))
        initial["venues"] = list(offer.venues.all())
        for name in TERM_SCHEMES:
            initial[name] = list(getattr(offer, name).all())
        return initial

    def service_arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        arguments["languages"] = _text_list(arguments.get("languages", ""))
        arguments.setdefault("areas_served", [])
        amount = (arguments.get("price_amount") or "").replace("£", "").replace(",", "").strip()
        arguments["price_amount"] = amount
        return arguments


# ---------------------------------------------------------------------------------------------------
# Consortia
# ---------------------------------------------------------------------------------------------------


class ConsortiumForm(ServiceForm):
    name = forms.CharField(label="Name of the consortium", required=False)
    description = forms.CharField(
        label="What the consortium offers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    area = PlacesField(
        label="Place it works in",
        single=True,
        help_text="One place: its name or ONS code, like Birmingham or E08000025.",
    )
    lead = forms.ModelChoiceField(
        label="Lead organisation (optional)",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="No lead organisation yet",
        error_messages={"invalid_choice": "Choose one of your own organisations as the lead"},
    )
    contact_email = forms.CharField(
        label="Shared contact email address",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "email"}),
    )
    contact_phone = forms.CharField(label="Contact phone number (optional)", required=False)

    def __init__(self, *args, lead_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_choices

    def clean_area(self):
        area = self.cleaned_data.get("area")
        if area is None and not self.errors.get("area"):
            raise ValidationError("Enter the place the consortium works in")
        return area

    @staticmethod
    def initial_for(consortium) -> dict:
        return {
            "name": consortium.name,
            "description": consortium.description,
            "area": places_display([consortium.area]),
            "lead": consortium.lead,
            "contact_email": consortium.contact_email,
            "contact_phone": consortium.contact_phone,
        }

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class InviteForm(ServiceForm):
    email = forms.CharField(
        label="Email address to send the invitation to",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "email"}),
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        required=False,
        help_text="The organisation’s name as it appears in the directory. Leave empty if it is not listed "
        "yet: whoever accepts chooses their organisation.",
    )
    role = forms.CharField(
        label="Role in the consortium (optional)",
        required=False,
        help_text="For example ‘music lead’ or ‘evaluation’.",
    )

    def clean_organisation(self):
        name = self.cleaned_data["organisation"].strip()
        if not name:
            return None
        found = list(Organisation.objects.filter(name__iexact=name).exclude(status="archived")[:2])
        if not found:
            raise ValidationError(
                f"There is no organisation called ‘{name}’ in the directory; leave this empty to invite by "
                "email alone"
            )
        if len(found) > 1:
            raise ValidationError(f"More than one organisation is called ‘{name}’; invite by email alone")
        return found[0]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class OrganisationChoiceForm(ServiceForm):
    """Choose one of your organisations: to ask to join a consortium, or to accept an invitation."""

    organisation = forms.ModelChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select the organisation that is joining",
            "invalid_choice": "Select one of your organisations",
        },
    )
    role = forms.CharField(
        label="Role in the consortium (optional)",
        required=False,
        help_text="For example ‘music lead’ or ‘evaluation’.",
    )

    def __init__(self, *args, organisations, with_role: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if not with_role:
            del self.fields["role"]


# ---------------------------------------------------------------------------------------------------
# Claims on unclaimed listings
# ---------------------------------------------------------------------------------------------------


class ClaimForm(ServiceForm):
    """One form for both ways to claim: the service decides from the address which one applies."""

    email = forms.CharField(
        label="Your email address at the organisation",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "email", "autocomplete": "email"}),
    )
    evidence = forms.CharField(
        label="How are you connected to the organisation? (only if your address is at another domain)",
        required=False,
        help_text="For example your role, and a public page or register entry that names you. An "
        "administrator reads this and may contact you.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, domain: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.help_text = (
            f"If it ends in {domain} (or a part of it, like office.{domain}), we email you a link to confirm."
            if domain
            else "The listing has no website we can check addresses against, so an administrator will check."
        )
        # GovukFormMixin links hints as it builds the form; this hint is added after, so link it here.
        email.widget.attrs["aria-describedby"] = "id_email-hint"


CHOOSE_DECISION = "Choose Approve or Turn down"


class ClaimDecisionForm(ServiceForm):
    """The reason box; the decision comes from which of the two buttons was pressed (not rendered)."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Turn down")],
        error_messages={"required": CHOOSE_DECISION, "invalid_choice": CHOOSE_DECISION},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        help_text="The claimant reads this in an email. Needed when you turn a claim down.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def service_arguments(self) -> dict:
        return {"approve": self.cleaned_data["decision"] == "approve", "reason": self.cleaned_data["reason"]}
