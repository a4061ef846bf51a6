"""Who could deliver or join an opportunity: published directory organisations and consortia that work in
the buyer's place and share a priority theme or art form with the notice.

An organisation works in a place when it (or one of its published offers) serves that place, an area
inside it or an area covering it (its county, region, ICB, or England), or when a public register puts
it there. Its themes and art forms are those of its published offers, and the tags on its listing (a
person's decision about a tag wins over the tagger's). A consortium works in its own area and shares
what its active members share. Each suggestion says why ("serves Manchester; mental health, music").

Read in a fixed number of queries whatever the size of the place; the matching of many organisations
happens inside the database, and only the few shown are read whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from culturehub.directory.models import Consortium, ConsortiumMember, Offer, Organisation, Status
from culturehub.places.models import Area
from culturehub.places.selectors import area_ids_covering, area_ids_within
from culturehub.registers.models import RegisterRecord
from culturehub.vocabulary.models import AssignedTag, Term

from .models import Opportunity

SHOWN = 10
# Past this many organisations in a place the tags are read for the shared terms alone and matched
# here, rather than naming every organisation in the query.
TAG_ID_LIMIT = 2000


@dataclass
class Suggestion:
    name: str
    pk: object
    kind: str  # "organisation" or "consortium"
    where: str
    shared: list[str]

    @property
    def reason(self) -> str:
        return f"{self.where}; {', '.join(self.shared)}"


@dataclass
class Partners:
    """Suggestions, or why there are none (`unavailable` says so in a sentence)."""

    organisations: list[Suggestion] = field(default_factory=list)
    consortia: list[Suggestion] = field(default_factory=list)
    unavailable: str = ""


@dataclass(frozen=True)
class _Place:
    area: Area
    within: object  # a subquery of area ids: the place and everything inside it
    covering: list[int]

    def q(self, column: str) -> Q:
        return Q(**{f"{column}__in": self.within}) | Q(**{f"{column}__in": self.covering})


def _place(area: Area) -> _Place:
    if area.kind == Area.Kind.COUNTRY:
        # A national buyer: organisations working across England, not every organisation in it.
        within = Area.objects.filter(pk=area.pk).values("pk")
    else:
        within = area_ids_within(area)
    covering = set(area_ids_covering(area))
    covering.update(Area.objects.filter(kind=Area.Kind.COUNTRY).values_list("pk", flat=True))
    covering.discard(area.pk)
    return _Place(area=area, within=within, covering=sorted(covering))


def _terms(opportunity: Opportunity, labels: dict[str, dict[str, str]]) -> dict[int, str]:
    wanted = Q(scheme__key="themes", key__in=opportunity.themes or []) | Q(
        scheme__key="art_forms", key__in=opportunity.art_forms or []
    )
    rows = Term.objects.filter(wanted).values_list("pk", "scheme__key", "key")
    return {pk: labels[scheme].get(key, key) for pk, scheme, key in rows}


def _organisations_in(place: _Place) -> Q:
    """Published organisations that work in the place, as a condition on Organisation."""
    served = Organisation.areas_served.through.objects.filter(place.q("area_id")).values("organisation_id")
    placed = RegisterRecord.objects.filter(area_id__in=place.within).values("organisation_id")
    offering = Offer.areas_served.through.objects.filter(
        place.q("area_id"), offer__status=Status.PUBLISHED
    ).values("offer__organisation_id")
    return Q(status=Status.PUBLISHED) & (Q(pk__in=served) | Q(pk__in=placed) | Q(pk__in=offering))


def _shared_terms(organisations: Q, organisation_ids: list | None, term_ids: set[int]) -> dict[str, set[int]]:
    """For each organisation meeting the condition, the wanted terms it has (keys are str(pk))."""
    shared: dict[str, set[int]] = defaultdict(set)
    chosen = Organisation.objects.filter(organisations).values("pk")
    for through in (Offer.themes.through, Offer.art_forms.through):
        rows = through.objects.filter(
            term_id__in=term_ids, offer__status=Status.PUBLISHED, offer__organisation_id__in=chosen
        ).values_list("offer__organisation_id", "term_id")
        for organisation_id, term_id in rows:
            shared[str(organisation_id)].add(term_id)
    tags = AssignedTag.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), term_id__in=term_ids
    )
    wanted = {str(pk) for pk in organisation_ids} if organisation_ids is not None else None
    if wanted is not None and len(wanted) <= TAG_ID_LIMIT:
        tags = tags.filter(object_id__in=wanted)
    decided: dict[tuple[str, int], bool] = {}
    tagged: dict[tuple[str, int], bool] = {}
    for object_id, term_id, source, applies in tags.values_list("object_id", "term_id", "source", "applies"):
        if wanted is not None and object_id not in wanted:
            continue
        (decided if source == AssignedTag.Source.PERSON else tagged)[(object_id, term_id)] = applies
    for (object_id, term_id), applies in {**tagged, **decided}.items():
        if applies:
            shared[object_id].add(term_id)
    return {key: value for key, value in shared.items() if value}


def _where(place: _Place, organisation_ids: list) -> dict[str, str]:
    """How each organisation works in the place, in words: "serves Kent", "based in Maidstone"."""
    within = set(Area.objects.filter(pk__in=place.within).values_list("pk", flat=True))
    found: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    rows = [
        (Organisation.areas_served.through.objects.filter(
            place.q("area_id"), organisation_id__in=organisation_ids
        ).values_list("organisation_id", "area_id"), "serves"),
        (RegisterRecord.objects.filter(area_id__in=place.within, organisation_id__in=organisation_ids)
         .values_list("organisation_id", "area_id"), "based in"),
        (Offer.areas_served.through.objects.filter(
            place.q("area_id"), offer__status=Status.PUBLISHED, offer__organisation_id__in=organisation_ids
        ).values_list("offer__organisation_id", "area_id"), "offers work in"),
    ]
    for queryset, verb in rows:
        for organisation_id, area_id in queryset:
            # The buyer's own place first, then places inside it, then those covering it.
            rank = 0 if area_id == place.area.pk else 1 if area_id in within else 2
            found[str(organisation_id)].append((rank, verb, area_id))
    names = dict(Area.objects.filter(
        pk__in={area_id for entries in found.values() for _rank, _verb, area_id in entries}
    ).values_list("pk", "name"))
    result = {}
    for organisation_id, entries in found.items():
        rank, verb, area_id = min(entries, key=lambda entry: (entry[0], names.get(entry[2], "")))
        result[organisation_id] = f"{verb} {names.get(area_id, place.area.name)}"
    return result


def _labels(term_ids: set[int], terms: dict[int, str]) -> list[str]:
    return sorted((terms[pk] for pk in term_ids if pk in terms), key=str.lower)


def _organisation_suggestions(place: _Place, terms: dict[int, str]) -> list[Suggestion]:
    condition = _organisations_in(place)
    in_place = list(Organisation.objects.filter(condition).values_list("pk", flat=True))
    if not in_place:
        return []
    shared = _shared_terms(condition, in_place, set(terms))
    names = dict(Organisation.objects.filter(pk__in=[key for key in shared]).values_list("pk", "name"))
    ranked = sorted(
        ((str(pk), name) for pk, name in names.items()),
        key=lambda item: (-len(shared[item[0]]), item[1].lower()),
    )[:SHOWN]
    shown_pks = [pk for pk, _name in ranked]
    where = _where(place, [pk for pk in names if str(pk) in shown_pks])
    by_str = {str(pk): pk for pk in names}
    return [
        Suggestion(name=name, pk=by_str[pk], kind="organisation",
                   where=where.get(pk, f"works in {place.area.name}"), shared=_labels(shared[pk], terms))
        for pk, name in ranked
    ]


def _consortium_suggestions(place: _Place, terms: dict[int, str]) -> list[Suggestion]:
    consortia = list(
        Consortium.objects.filter(place.q("area_id"), status=Status.PUBLISHED).select_related("area")
    )
    if not consortia:
        return []
    members: dict[str, set] = defaultdict(set)
    rows = ConsortiumMember.objects.filter(
        consortium__in=consortia, state=ConsortiumMember.State.ACTIVE, organisation__status=Status.PUBLISHED
    ).values_list("consortium_id", "organisation_id")
    for consortium_id, organisation_id in rows:
        members[str(consortium_id)].add(organisation_id)
    member_ids = sorted({pk for pks in members.values() for pk in pks}, key=str)
    shared = _shared_terms(Q(pk__in=member_ids), member_ids, set(terms)) if member_ids else {}
    suggestions = []
    for consortium in consortia:
        found = set().union(*(shared.get(str(pk), set()) for pk in members[str(consortium.pk)]))
        if found:
            suggestions.append(Suggestion(
                name=consortium.name, pk=consortium.pk, kind="consortium",
                where=f"works in {consortium.area.name}", shared=_labels(found, terms),
            ))
    suggestions.sort(key=lambda suggestion: (-len(suggestion.shared), suggestion.name.lower()))
    return suggestions[:SHOWN]


def opportunity_partners(*, opportunity: Opportunity, labels: dict[str, dict[str, str]]) -> Partners:
    """Organisations and consortia that could deliver or join the opportunity, with their reasons."""
    buyer = opportunity.buyer
    if buyer is None or buyer.area is None:
        return Partners(unavailable="The buyer is not placed in an area Culture Hub holds, so it cannot "
                                    "suggest local organisations.")
    terms = _terms(opportunity, labels)
    if not terms:
        return Partners(unavailable="Culture Hub found no priority theme or art form in this notice to "
                                    "match organisations by.")
    place = _place(buyer.area)
    return Partners(
        organisations=_organisation_suggestions(place, terms),
        consortia=_consortium_suggestions(place, terms),
    )
