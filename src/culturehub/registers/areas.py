"""Finding the local authority a register names, by ONS code or by name.

Registers write council names their own way: "Bristol, City of" (ONS and the Arts Council),
"Herefordshire" (Mapping Museums), "Birmingham City" (the Charity Commission's areas of operation).
A name is looked up as given, then without the ", City of" / ", County of" tail or the trailing
"City" / "County" word; a name that fits two areas (a county and its namesake district) fits none.
"""

from __future__ import annotations

import re

from culturehub.places.models import Area, AreaAlias

LOCAL_AUTHORITY_KINDS = (
    Area.Kind.COUNTY,
    Area.Kind.DISTRICT,
    Area.Kind.UNITARY,
    Area.Kind.METROPOLITAN,
    Area.Kind.LONDON_BOROUGH,
)
GSS_CODE = re.compile(r"E0[6-9]\d{6}|E10\d{6}", re.ASCII)


def _key(name: str) -> str:
    text = (name or "").lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _short_forms(name: str) -> set[str]:
    key = _key(name)
    forms = {key}
    for tail in (" city of", " county of", " city", " county", " borough", " metropolitan borough"):
        if key.endswith(tail):
            forms.add(key[: -len(tail)].strip())
    if key.startswith("city of "):
        forms.add(key[len("city of ") :])
    return {form for form in forms if form}


class AreaLookup:
    """Local authorities by code and by name, loaded once per run (two queries)."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.names: dict[str, set[int]] = {}
        self.kinds: dict[int, str] = {}
        self.districts_of_county: dict[int, set[int]] = {}

    @classmethod
    def load(cls) -> AreaLookup:
        lookup = cls()
        for pk, code, name, kind, upper_tier_id in Area.objects.filter(
            kind__in=LOCAL_AUTHORITY_KINDS
        ).values_list("pk", "code", "name", "kind", "upper_tier_id"):
            lookup.codes[code] = pk
            lookup.kinds[pk] = kind
            for form in _short_forms(name):
                lookup.names.setdefault(form, set()).add(pk)
            if kind == Area.Kind.DISTRICT and upper_tier_id:
                lookup.districts_of_county.setdefault(upper_tier_id, set()).add(pk)
        for code, area_id, name in AreaAlias.objects.values_list("code", "area_id", "name"):
            # An old council that merged into a larger one (same_area False) lies inside it: right for
            # placing an organisation or a grant, though not for a figure describing the whole area.
            if area_id in lookup.kinds:
                lookup.codes.setdefault(code, area_id)
                for form in _short_forms(name):
                    lookup.names.setdefault(form, set()).add(area_id)
        return lookup

    def by_code(self, code: str) -> int | None:
        return self.codes.get((code or "").strip().upper())

    def by_name(self, name: str, *, prefer_lower_tier: bool = True) -> int | None:
        """The area whose name this is; when a county and a district share it, the district if asked."""
        key = _key(name)
        found = self.names.get(key) or set()
        if not found:
            for form in _short_forms(name):
                found = found | self.names.get(form, set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1 and prefer_lower_tier:
            lower = {pk for pk in found if self.kinds.get(pk) != Area.Kind.COUNTY}
            if len(lower) == 1:
                return next(iter(lower))
        return None
