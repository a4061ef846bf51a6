"""{% areas_map areas "map-id" %}: a small map of the areas served, with the list beside it."""

from django import template

from culturehub.directory.maps import areas_map as build_areas_map

register = template.Library()


@register.inclusion_tag("directory/includes/map.html")
def areas_map(areas, map_id: str):
    """`areas` is an iterable of places.Area (or ONS codes); `map_id` must be unique on the page."""
    return {"map": build_areas_map(list(areas or []), map_id)}
