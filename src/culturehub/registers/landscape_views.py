"""The culture page of a place: its organisations, museums and Arts Council money, for everyone."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect, render

from culturehub.places import selectors as place_selectors
from culturehub.places.views import _old_code_message, _place_not_found
from culturehub.registers.landscape import OrganisationFilters, place_landscape


def place_culture(request, code):
    area, alias = place_selectors.area_exact_match(query=code)
    if area is None:
        return _place_not_found(request, code)
    if area.code != code:
        # An old or lower-case code: the same page under the current code, as the profile does.
        if alias is not None:
            _old_code_message(request, alias, area)
        target = redirect("places:culture", code=area.code)
        if request.GET:
            target["Location"] += f"?{request.GET.urlencode()}"
        return target
    filters = OrganisationFilters.from_query(request.GET)
    landscape = place_landscape(area=area, filters=filters, page=request.GET.get("page"))
    return render(request, "registers/landscape.html", {
        "area": area,
        "landscape": landscape,
        "query_string": urlencode(filters.query_items()),
    })
