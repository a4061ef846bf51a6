from django.db.models import Q

from culturehub.places.models import Area, AreaAlias


def area_search(*, query: str):
    query = query.strip()
    if not query:
        return Area.objects.none()
    alias_areas = AreaAlias.objects.filter(code__iexact=query).values("area_id")
    return Area.objects.filter(
        Q(name__icontains=query) | Q(code__iexact=query) | Q(pk__in=alias_areas)
    ).order_by("name")


def area_resolve(*, code: str) -> Area | None:
    """The current area for a code, following an old code to the area that replaced it."""
    code = code.strip().upper()
    area = Area.objects.filter(code=code).first()
    if area is not None:
        return area
    alias = AreaAlias.objects.select_related("area").filter(code=code).first()
    return alias.area if alias else None
