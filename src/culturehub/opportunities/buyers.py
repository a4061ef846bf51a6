"""Who a notice's buyer is, what kind of body it is, and which area it serves.

Notices name buyers their own way ("Derby City Council", "DERBY CITY COUNCIL", "Council of the City
of Derby"; "NHS Kent and Medway ICB"). A buyer is placed by its identifier where that is an ONS code
or an NHS organisation code Culture Hub holds, else by its name against the areas' names (current and
former, from AreaAlias), exactly after taking off the words councils add to their place name, then,
failing that, by a close fuzzy match (see FUZZY_THRESHOLD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from culturehub.places.models import Area, AreaAlias

from .models import Buyer

ONS_CODE = re.compile(r"^E(0[6-9]|10|54)\d{6}$")
LOCAL_AUTHORITY_KINDS = {
    Area.Kind.COUNTY, Area.Kind.DISTRICT, Area.Kind.UNITARY, Area.Kind.METROPOLITAN, Area.Kind.LONDON_BOROUGH,
}
# Words a council puts around its place's name, longest first so "county council" goes before "council".
COUNCIL_WORDS = (
    "metropolitan borough council", "royal borough of", "london borough of", "city and county of",
    "county borough council", "borough council", "district council", "county council", "city council",
    "unitary authority", "council of the city of", "city of", "council",
)
ICB_WORDS = ("integrated care board", "icb")
# Out of 100 (rapidfuzz ratio on the core name). High on purpose: a wrong place sends an opportunity to
# the wrong organisations, while an unplaced buyer is only shown without a place. At 92 a misspelling
# ("Glocestershire") still matches, but neighbours with similar names ("North Tyneside" and "South
# Tyneside" score about 86; "Derby" and "Derbyshire" 67) do not.
FUZZY_THRESHOLD = 92
# And the best match must beat the next best by this much, or the name is too ambiguous to place.
FUZZY_MARGIN = 4
# National bodies whose names contain "council" but that are not councils.
NOT_COUNCILS = ("arts council", "british council", "research council", "sports council", "design council",
                "sport council", "funding council", "books council", "council for ")
LOCAL_COUNCIL_WORDS = ("council", "borough of", "cyngor", "comhairle")
CENTRAL_GOVERNMENT_PREFIXES = (
    "department for ", "department of ", "ministry of ", "hm ", "cabinet office", "home office",
    "foreign, commonwealth", "crown commercial service",
)


def normalise(name: str) -> str:
    """Lower case, "&" as "and", punctuation and repeated spaces gone."""
    text = (name or "").lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _without(words: tuple[str, ...], name: str) -> tuple[str, bool]:
    """The name with the given words taken off (whole words only), and whether any were."""
    core, found = f" {name} ", False
    for word in words:
        if f" {word} " in core:
            core, found = core.replace(f" {word} ", " "), True
    core = " ".join(word for word in core.split() if word not in {"the", "nhs"})
    return core, found


def council_core(name: str) -> tuple[str, bool]:
    return _without(COUNCIL_WORDS, normalise(name))


def icb_core(name: str) -> tuple[str, bool]:
    return _without(ICB_WORDS, normalise(name))


@dataclass
class Placement:
    area_id: int | None
    placed_by: str


@dataclass
class AreaIndex:
    """Areas by code, NHS code and core name, loaded once per import (two queries)."""

    codes: dict[str, int] = field(default_factory=dict)
    nhs_codes: dict[str, int] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    council_names: dict[str, set[int]] = field(default_factory=dict)
    icb_names: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> AreaIndex:
        index = cls()
        rows = Area.objects.values_list("pk", "code", "name", "kind", "nhs_code")
        for pk, code, name, kind, nhs_code in rows:
            index.codes[code] = pk
            index.kinds[pk] = kind
            if nhs_code:
                index.nhs_codes[nhs_code.upper()] = pk
            index._add_name(pk, name, kind)
        for code, area_id, name in AreaAlias.objects.values_list("code", "area_id", "name"):
            index.codes.setdefault(code, area_id)
            if name and area_id in index.kinds:
                index._add_name(area_id, name, index.kinds[area_id])
        return index

    def _add_name(self, pk: int, name: str, kind: str) -> None:
        if kind == Area.Kind.ICB:
            self.icb_names.setdefault(icb_core(name)[0], set()).add(pk)
        elif kind in LOCAL_AUTHORITY_KINDS:
            core = council_core(name)[0]
            if core.startswith("county "):  # "County Durham" is Durham County Council's place
                self.council_names.setdefault(core[len("county "):], set()).add(pk)
            self.council_names.setdefault(core, set()).add(pk)

    # Placing ------------------------------------------------------------------------------------

    def place(self, *, name: str, scheme: str, identifier: str) -> Placement:
        area_id = self.by_identifier(scheme, identifier)
        if area_id is not None:
            return Placement(area_id, Buyer.Placement.IDENTIFIER)
        area_id = self.by_name(name)
        if area_id is not None:
            return Placement(area_id, Buyer.Placement.NAME)
        return Placement(None, Buyer.Placement.NOT_PLACED)

    def by_identifier(self, scheme: str, identifier: str) -> int | None:
        value = (identifier or "").strip().upper()
        if ONS_CODE.match(value):
            return self.codes.get(value)
        if scheme.upper() == "GB-NHS":
            return self.nhs_codes.get(value)
        return None

    def by_name(self, name: str) -> int | None:
        core, is_icb = icb_core(name)
        if is_icb:
            return self._match(core, self.icb_names)
        if any(word in normalise(name) for word in NOT_COUNCILS):
            return None
        core, is_council = council_core(name)
        if not is_council:
            # A name with no council words places a buyer only when it is exactly an area's name: "Kent"
            # is Kent, but "Derby Theatre" is not Derby.
            return self._exact(core, self.council_names, county_wanted=False)
        county_wanted = "county council" in normalise(name)
        return self._match(core, self.council_names, county_wanted=county_wanted)

    def _exact(self, core: str, names: dict[str, set[int]], *, county_wanted: bool) -> int | None:
        found = names.get(core) or set()
        if len(found) > 1:
            # A county and a district of one name (rare): the council's own words decide.
            found = {pk for pk in found if (self.kinds[pk] == Area.Kind.COUNTY) == county_wanted}
        return next(iter(found)) if len(found) == 1 else None

    def _match(self, core: str, names: dict[str, set[int]], *, county_wanted: bool = False) -> int | None:
        if not core:
            return None
        exact = self._exact(core, names, county_wanted=county_wanted)
        if exact is not None or core in names:
            return exact
        best = process.extract(core, list(names), scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < FUZZY_THRESHOLD:
            return None
        if len(best) > 1 and best[0][1] - best[1][1] < FUZZY_MARGIN:
            return None
        return self._exact(best[0][0], names, county_wanted=county_wanted)


def buyer_type(*, name: str, scheme: str, classifications: list[str], area_kind: str | None) -> str:
    """The kind of body, from its name first (the surest sign), then its identifier, classification
    as published (TED or UK contracting-authority types) and the kind of area it was placed in."""
    text = normalise(name)
    if not text:
        return Buyer.Type.UNKNOWN
    if icb_core(name)[1] or area_kind == Area.Kind.ICB:
        return Buyer.Type.ICB
    if "nhs" in text.split() and ("trust" in text.split() or "foundation trust" in text):
        return Buyer.Type.NHS_TRUST
    if area_kind in LOCAL_AUTHORITY_KINDS or (
        any(word in text for word in LOCAL_COUNCIL_WORDS) and not any(word in text for word in NOT_COUNCILS)
    ):
        # Town and parish councils are local councils too; "Arts Council England" is not.
        return Buyer.Type.LOCAL_AUTHORITY
    if scheme.upper() == "GB-GOR" or text.startswith(CENTRAL_GOVERNMENT_PREFIXES):
        return Buyer.Type.CENTRAL_GOVERNMENT
    published = " ".join(classifications).lower()
    if "local authority" in published:
        return Buyer.Type.LOCAL_AUTHORITY
    if "ministry" in published or "central" in published or "national or federal" in published:
        return Buyer.Type.CENTRAL_GOVERNMENT
    return Buyer.Type.OTHER
