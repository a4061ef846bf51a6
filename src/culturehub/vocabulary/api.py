from ninja import Router, Schema

from culturehub.vocabulary import selectors

router = Router(tags=["vocabulary"])


class TermOut(Schema):
    key: str
    label: str
    description: str
    synonyms: list[str]
    commissioner_terms: list[str]


class SchemeOut(Schema):
    key: str
    label: str
    version: str
    description: str
    terms: list[TermOut]


@router.get("/", response=list[SchemeOut], summary="Every scheme of the shared vocabulary")
def list_schemes(request):
    return [
        SchemeOut(
            key=scheme.key, label=scheme.label, version=scheme.version,
            description=scheme.description,
            terms=[TermOut.from_orm(term) for term in scheme.terms.all()],
        )
        for scheme in selectors.scheme_list_with_terms()
    ]
