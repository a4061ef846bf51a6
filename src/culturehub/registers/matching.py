"""Finding the listing a register entry belongs to: the same register number first, then a similar
name in the same place.

The fuzzy rule is deliberately cautious. Two listings wrongly joined hide an organisation from the
people looking for it and put another's money and museums on its page, which is worse than two
listings for one organisation (an administrator can see both; a claim can tidy them). So a fuzzy
match needs a place in common as well as a name, the bar rises as the place gets larger, and a tie
between two candidates is no match at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# Words that tell two names of one organisation apart without telling organisations apart:
# "The Derby Theatre Trust Ltd" and "Derby Theatre" are the same body.
DROPPED_WORDS = frozenset({"the", "ltd", "limited", "trust", "cic", "cio", "plc", "inc", "incorporated"})

# Thresholds, out of 100 (rapidfuzz scores). token_set_ratio forgives extra words on one side
# ("Derby Museum and Art Gallery" v "Derby Museum"), which is what registers do to a name; but it
# scores any name 100 against a name made of a subset of its words ("Museum" v "Derby Museum"),
# so token_sort_ratio, which counts every word, must also clear a lower bar.
#  - Same full postcode: one building, so names that differ in wording still match (85 / 60).
#  - Same postcode district (DE1, B18): a few thousand addresses; near-identical names only (92 / 75).
#  - Same local authority, for registers with no postcode (Arts Council lists): hundreds of
#    organisations, so the names must agree almost word for word (95 / 85).
THRESHOLDS = {
    "postcode": (85.0, 60.0),
    "district": (92.0, 75.0),
    "area": (95.0, 85.0),
}
# A name made only of words like these ("Museum", "Arts Centre") says what a place is, not which one,
# so it never matches by similarity, however close.
GENERIC_WORDS = frozenset(
    [
        "museum",
        "museums",
        "gallery",
        "galleries",
        "theatre",
        "theatres",
        "library",
        "libraries",
        "arts",
        "art",
        "centre",
        "center",
        "festival",
        "music",
        "dance",
        "church",
        "friends",
        "of",
        "and",
        "society",
        "club",
        "hall",
        "house",
        "heritage",
        "history",
        "community",
    ]
)
PLACE_WORDS = {
    "postcode": "the same postcode",
    "district": "the same postcode district",
    "area": "the same local authority",
}


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation gone, '&' read as 'and', and DROPPED_WORDS removed."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'", "")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in DROPPED_WORDS)


def postcode_district(postcode: str) -> str:
    """The outward code of a cleaned postcode ("DE1 3AH" -> "DE1"), or "" when there is none."""
    parts = (postcode or "").split()
    return parts[0] if len(parts) == 2 else ""


@dataclass
class Candidate:
    organisation_id: object
    name: str
    normalised: str
    postcode: str = ""
    sources: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Match:
    organisation_id: object
    score: float
    matched_on: str


class MatchIndex:
    """Every listing a register entry might join, filed by postcode, postcode district and area.

    Built once per import run (a few queries) and kept up to date as the run adds listings, so that
    finding a match costs no query.
    """

    def __init__(self):
        self.candidates: dict[object, Candidate] = {}
        self.by_postcode: dict[str, set] = defaultdict(set)
        self.by_district: dict[str, set] = defaultdict(set)
        self.by_area: dict[int, set] = defaultdict(set)

    @classmethod
    def load(cls) -> MatchIndex:
        from culturehub.directory.models import Organisation, Status
        from culturehub.registers.models import RegisterRecord

        index = cls()
        organisations = Organisation.objects.exclude(status=Status.ARCHIVED).values_list(
            "pk", "name", "postcode"
        )
        for pk, name, postcode in organisations.iterator(chunk_size=5000):
            index.add(pk, name=name, postcode=postcode)
        for pk, area_id in Organisation.areas_served.through.objects.values_list(
            "organisation_id", "area_id"
        ):
            index.add_area(pk, area_id)
        records = RegisterRecord.objects.values_list(
            "organisation_id", "source", "area_id", "name", "postcode"
        )
        for pk, source, area_id, _name, postcode in records.iterator(chunk_size=5000):
            if pk in index.candidates:
                index.candidates[pk].sources.add(source)
                index.add_area(pk, area_id)
                index.add_place(pk, postcode)
        return index

    def add(self, organisation_id, *, name: str, postcode: str = "", source: str = "", area_id=None) -> None:
        candidate = self.candidates.get(organisation_id)
        if candidate is None:
            candidate = Candidate(organisation_id, name, normalise_name(name), postcode)
            self.candidates[organisation_id] = candidate
        if source:
            candidate.sources.add(source)
        self.add_place(organisation_id, postcode)
        self.add_area(organisation_id, area_id)

    def add_place(self, organisation_id, postcode: str) -> None:
        if postcode:
            self.by_postcode[postcode].add(organisation_id)
            district = postcode_district(postcode)
            if district:
                self.by_district[district].add(organisation_id)

    def add_area(self, organisation_id, area_id) -> None:
        if area_id and organisation_id in self.candidates:
            self.by_area[area_id].add(organisation_id)

    def forget_source(self, organisation_id, source: str) -> None:
        if organisation_id in self.candidates:
            self.candidates[organisation_id].sources.discard(source)

    def find(self, *, name: str, source: str, postcode: str = "", area_id=None) -> Match | None:
        """The one listing whose name is close enough to `name` in a place they share, if any.

        A listing that already holds an entry from the same register is never a candidate: two
        entries in one register are two organisations (or the register's own duplicate to keep).
        """
        normalised = normalise_name(name)
        if not normalised or set(normalised.split()) <= GENERIC_WORDS:
            return None
        for basis, pool in (
            ("postcode", self.by_postcode.get(postcode, ()) if postcode else ()),
            ("district", self.by_district.get(postcode_district(postcode), ()) if postcode else ()),
            ("area", self.by_area.get(area_id, ()) if area_id else ()),
        ):
            match = self._best(normalised, source, basis, pool)
            if match is not None:
                return match
        return None

    def _best(self, normalised: str, source: str, basis: str, pool) -> Match | None:
        set_bar, sort_bar = THRESHOLDS[basis]
        scored = []
        for organisation_id in pool:
            candidate = self.candidates[organisation_id]
            if source in candidate.sources or not candidate.normalised:
                continue
            set_score = fuzz.token_set_ratio(normalised, candidate.normalised)
            if set_score < set_bar:
                continue
            sort_score = fuzz.token_sort_ratio(normalised, candidate.normalised)
            if sort_score >= sort_bar:
                scored.append((set_score, sort_score, candidate))
        if not scored:
            return None
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
            return None  # two listings fit equally well: leave it to a person
        set_score, sort_score, candidate = scored[0]
        return Match(
            organisation_id=candidate.organisation_id,
            score=round(float(set_score), 1),
            matched_on=(
                f"Name “{candidate.name}” scored {set_score:.0f} out of 100 (word order and extra "
                f"words ignored; {sort_score:.0f} counting every word) in {PLACE_WORDS[basis]}."
            ),
        )
