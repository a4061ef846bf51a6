"""Finding opportunities: the filters a person sets on the list page, and the one query they run.

The list page, saved searches, alerts and feeds all go through `OpportunitySearchForm` and
`opportunity_search`, so a saved search finds exactly what the page showed when it was saved.
A search is kept as its query string parameters (`query_from_form` / `form_from_query`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone

from culturehub.core.forms import GovukFormMixin
from culturehub.places.models import Area
from culturehub.places.selectors import area_ids_covering, area_ids_within, area_resolve, area_search
from culturehub.vocabulary.models import Term

from .models import Buyer, Opportunity, Relevance, Stage

OPEN_STAGES = (Stage.PIPELINE, Stage.PLANNING, Stage.TENDER)
# A notice with no deadline counts as still open only while it is this recent. Pipeline notices are
# published each year for the financial year ahead (Procurement Act 2023, section 93), and a process
# that goes ahead publishes its next notice, so one not updated for 18 months has moved on or lapsed.
# A notice with no date at all is kept, since nothing says it is over.
OPEN_WITHOUT_DEADLINE = timedelta(days=548)
DEADLINE_CHOICES = [
    ("open", "Still open or not yet out to tender"),
    ("7", "Closing in the next 7 days"),
    ("30", "Closing in the next 30 days"),
    ("90", "Closing in the next 90 days"),
    ("any", "Any time, including closed"),
]
SORT_CHOICES = [
    ("deadline", "Closing soonest"),
    ("relevance", "Most relevant"),
    ("updated", "Most recently updated"),
]
SUITABLE_CHOICES = [("sme", "Suitable for small businesses (SME)"),
                    ("vcse", "Suitable for charities and social enterprises (VCSE)")]
DEFAULT_RELEVANCE = (Relevance.DIRECT, Relevance.ADJACENT)


@dataclass(frozen=True)
class OpportunityFilters:
    text: str = ""
    place: Area | None = None
    buyer: str = ""
    buyer_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    art_forms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    deadline: str = "open"
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    suitable: tuple[str, ...] = ()
    relevance: tuple[str, ...] = field(default=DEFAULT_RELEVANCE)
    sort: str = "deadline"


class OpportunitySearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search words", required=False, max_length=200,
        help_text="Words in the title or description, for example arts on prescription or loneliness.",
    )
    place = forms.CharField(
        label="Place", required=False, max_length=150,
        help_text="A council, ICB or region name, or an ONS code such as E08000003. Shows notices from "
                  "buyers in that place and from the county, region and ICBs that cover it.",
    )
    buyer = forms.CharField(
        label="Buyer", required=False, max_length=150, help_text="Part of the buyer's name.",
    )
    buyer_type = forms.MultipleChoiceField(
        label="Type of buyer", required=False, widget=forms.CheckboxSelectMultiple,
        choices=Buyer.Type.choices,
    )
    relevance = forms.MultipleChoiceField(
        label="Relevance", required=False, widget=forms.CheckboxSelectMultiple, choices=Relevance.choices,
        help_text="Leave empty for cultural work and work a cultural organisation could join.",
    )
    theme = forms.MultipleChoiceField(
        label="Priority theme", required=False, widget=forms.CheckboxSelectMultiple,
    )
    art_form = forms.MultipleChoiceField(
        label="Art form", required=False, widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.MultipleChoiceField(
        label="Stage", required=False, widget=forms.CheckboxSelectMultiple, choices=Stage.choices,
    )
    deadline = forms.ChoiceField(
        label="Deadline", required=False, choices=DEADLINE_CHOICES,
        help_text="A notice that gives no deadline counts as open until 18 months after its last update.",
    )
    value_min = forms.DecimalField(
        label="Value at least (£)", required=False, min_value=0, max_digits=15, decimal_places=0,
        error_messages={"invalid": "Enter the lowest value as a whole number of pounds, like 10000"},
    )
    value_max = forms.DecimalField(
        label="Value at most (£)", required=False, min_value=0, max_digits=15, decimal_places=0,
        error_messages={"invalid": "Enter the highest value as a whole number of pounds, like 250000"},
    )
    suitable = forms.MultipleChoiceField(
        label="Suitable for", required=False, widget=forms.CheckboxSelectMultiple, choices=SUITABLE_CHOICES,
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        terms: dict[str, list[tuple[str, str]]] = {"themes": [], "art_forms": []}
        for scheme, key, label in Term.objects.filter(scheme__key__in=terms).order_by(
            "scheme__position", "position", "key"
        ).values_list("scheme__key", "key", "label"):
            terms[scheme].append((key, label))
        self.fields["theme"].choices = terms["themes"]
        self.fields["art_form"].choices = terms["art_forms"]

    def clean_place(self):
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        area = area_resolve(code=text) or area_search(query=text).first()
        if area is None:
            raise forms.ValidationError(
                f"We could not find a place called “{text}”. Enter a council, ICB or region name, "
                "or an ONS code such as E08000003."
            )
        return area

    def clean(self):
        data = super().clean()
        low, high = data.get("value_min"), data.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error("value_max", "The highest value must be the same as or more than the lowest value")
        return data

    def filters(self) -> OpportunityFilters:
        """The cleaned search; call only after `is_valid()` is true."""
        data = self.cleaned_data
        return OpportunityFilters(
            text=data.get("q", "").strip(),
            place=data.get("place"),
            buyer=data.get("buyer", "").strip(),
            buyer_types=tuple(data.get("buyer_type") or ()),
            themes=tuple(data.get("theme") or ()),
            art_forms=tuple(data.get("art_form") or ()),
            stages=tuple(data.get("stage") or ()),
            deadline=data.get("deadline") or "open",
            value_min=data.get("value_min"),
            value_max=data.get("value_max"),
            suitable=tuple(data.get("suitable") or ()),
            relevance=tuple(data.get("relevance") or DEFAULT_RELEVANCE),
            sort=data.get("sort") or "deadline",
        )


def query_from_form(form: OpportunitySearchForm) -> dict[str, list[str]]:
    """A valid form's non-empty parameters as they were given (lists of strings), to store and re-open."""
    query = {}
    for name in form.fields:
        values = [value for value in form.data.getlist(name) if str(value).strip()] \
            if hasattr(form.data, "getlist") else []
        if values:
            query[name] = values
    return query


def form_from_query(query: dict[str, list[str]]) -> OpportunitySearchForm:
    data = QueryDict(mutable=True)
    for name, values in query.items():
        data.setlist(name, list(values))
    return OpportunitySearchForm(data)


def opportunity_search(*, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    """Opportunities matching the filters, sorted as asked. Notices are public, so anyone may search."""
    found = Opportunity.objects.select_related("buyer", "buyer__area").filter(
        relevance__in=filters.relevance
    )
    if filters.text:
        found = found.filter(
            Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
            | Q(buyer__name__icontains=filters.text)
        )
    if filters.place is not None:
        areas = Q(buyer__area__in=area_ids_within(filters.place))
        covering = area_ids_covering(filters.place)
        if covering:
            areas |= Q(buyer__area__in=covering)
        found = found.filter(areas)
    if filters.buyer:
        found = found.filter(buyer__name__icontains=filters.buyer)
    if filters.buyer_types:
        found = found.filter(buyer__buyer_type__in=filters.buyer_types)
    found = _any_key(found, "themes", filters.themes)
    found = _any_key(found, "art_forms", filters.art_forms)
    if filters.stages:
        found = found.filter(stage__in=filters.stages)
    found = _deadline(found, filters.deadline)
    if filters.value_min is not None:
        found = found.filter(value_amount__gte=filters.value_min)
    if filters.value_max is not None:
        found = found.filter(value_amount__lte=filters.value_max)
    if "sme" in filters.suitable:
        found = found.filter(suitable_for_sme=True)
    if "vcse" in filters.suitable:
        found = found.filter(suitable_for_vcse=True)
    return found.order_by(*_ordering(filters.sort))


def _any_key(found: QuerySet, field_name: str, keys: tuple[str, ...]) -> QuerySet:
    """Opportunities whose JSON list holds any of the keys. Keys are vocabulary keys (letters and
    underscores), so matching the quoted key in the list's text is exact on SQLite and PostgreSQL alike."""
    if not keys:
        return found
    where = Q()
    for key in keys:
        where |= Q(**{f"{field_name}__icontains": f'"{key}"'})
    return found.filter(where)


def _deadline(found: QuerySet, choice: str) -> QuerySet:
    if choice == "any":
        return found
    now = timezone.now()
    if choice == "open":
        return found.filter(Q(tender_deadline__gte=now) | _open_without_deadline(now))
    return found.filter(tender_deadline__gte=now, tender_deadline__lte=now + timedelta(days=int(choice)))


def _open_without_deadline(now) -> Q:
    recent = Q(last_updated__gte=now - OPEN_WITHOUT_DEADLINE) | Q(last_updated__isnull=True)
    return Q(tender_deadline__isnull=True, stage__in=OPEN_STAGES) & recent


def _ordering(sort: str) -> list:
    if sort == "relevance":
        # Cultural work first, then work the sector could join: a sure "could join" is still less
        # relevant to a cultural organisation than cultural work.
        label = Case(When(relevance=Relevance.DIRECT, then=Value(0)),
                     When(relevance=Relevance.ADJACENT, then=Value(1)), default=Value(2))
        return [label, "-relevance_score", F("tender_deadline").asc(nulls_last=True), "ocid"]
    if sort == "updated":
        return [F("last_updated").desc(nulls_last=True), "ocid"]
    # Deadlines still to come first, soonest first; then those with none; closed ones last (a notice
    # with no deadline that has gone past tender, such as an award, or has lapsed, is closed too).
    now = timezone.now()
    closed = Case(
        When(tender_deadline__lt=now, then=Value(1)),
        When(Q(tender_deadline__isnull=True) & ~_open_without_deadline(now), then=Value(1)),
        default=Value(0),
    )
    return [closed, F("tender_deadline").asc(nulls_last=True), F("next_engagement").asc(nulls_last=True),
            "ocid"]
