from ninja import Router, Schema

from culturehub.places import selectors

router = Router(tags=["places"])


class AreaOut(Schema):
    code: str
    name: str
    kind: str


@router.get("/", response=list[AreaOut], summary="Find places by name or ONS code (old codes too)")
def search_areas(request, q: str):
    return list(selectors.area_search(query=q)[:50])
