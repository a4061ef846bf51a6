"""The JSON API: one NinjaAPI, each app adds its own router."""

from ninja import NinjaAPI

from culturehub.directory.oruk.api import router as oruk_router
from culturehub.places.api import router as places_router
from culturehub.vocabulary.api import router as vocabulary_router

api = NinjaAPI(
    title="Culture Hub API",
    version="1",
    description="Places, indicators, priorities and the shared vocabulary of Culture Hub.",
    urls_namespace="api",
    # The interactive docs page loads its scripts from a CDN, which our content security policy (and
    # an offline demo) forbid; /api/ is documented by a page of our own instead (core.views.api_docs).
    docs_url=None,
)
api.add_router("/places/", places_router)
api.add_router("/vocabulary/", vocabulary_router)
api.add_router("/oruk/", oruk_router)
