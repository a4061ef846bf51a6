"""The directory search form (GET): words, a place, and the filters, checked before the selector runs."""

from __future__ import annotations

from django import forms

from culturehub.core.forms import GovukFormMixin
from culturehub.directory.models import Consortium, Offer, Status
from culturehub.directory.search import TERM_FACETS
from culturehub.places.selectors import area_resolve, area_search
from culturehub.vocabulary.models import Term

# URL parameter -> offer_search argument. Singular names read better in a shared link.
PARAMETERS = {
    "theme": "themes",
    "art_form": "art_forms",
    "population": "populations",
    "setting": "settings",
    "outcome": "outcomes",
    "price": "price",
    "referral_route": "referral_routes",
    "consortium": "consortium",
}
FILTER_NAMES = {argument: parameter for parameter, argument in PARAMETERS.items()}


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search words", required=False, max_length=200,
        help_text="For example, singing for people with dementia, or the name of an organisation.",
    )
    place = forms.CharField(
        label="Place", required=False, max_length=150,
        help_text="A council, ICB or region name, or an ONS code such as E07000110.",
    )
    theme = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    art_form = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    population = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    setting = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    outcome = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    price = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=Offer.Price.choices
    )
    referral_route = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=Offer.REFERRAL_ROUTES
    )
    consortium = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_scheme: dict[str, list[tuple[str, str]]] = {}
        schemes = [scheme for scheme, _field in TERM_FACETS.values()]
        for scheme, key, label in Term.objects.filter(scheme__key__in=schemes).order_by(
            "scheme__position", "position", "key"
        ).values_list("scheme__key", "key", "label"):
            by_scheme.setdefault(scheme, []).append((key, label))
        for argument, (scheme, _field) in TERM_FACETS.items():
            self.fields[FILTER_NAMES[argument]].choices = by_scheme.get(scheme, [])
        consortia = Consortium.objects.filter(status=Status.PUBLISHED).order_by("name")
        self.fields["consortium"].choices = [("", "Any")] + [(str(pk), name) for pk, name in
                                                            consortia.values_list("pk", "name")]

    def clean_place(self):
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        area = area_resolve(code=text) or area_search(query=text).first()
        if area is None:
            raise forms.ValidationError(
                f"We could not find a place called “{text}”. Enter a council, ICB or region name, "
                "or an ONS code such as E07000110."
            )
        return area

    def search_arguments(self) -> dict:
        """The cleaned values as keyword arguments for `offer_search`."""
        data = self.cleaned_data
        arguments = {"text": data.get("q", ""), "place": data.get("place")}
        for parameter, argument in PARAMETERS.items():
            arguments[argument] = data.get(parameter) or ()
        arguments["consortium"] = data.get("consortium") or None
        arguments["price"] = data.get("price") or None
        return arguments

    @property
    def has_criteria(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "place", *PARAMETERS))
