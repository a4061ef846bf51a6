from django.db.models import Count

from culturehub.core.licences import OGL, OGL_URL
from culturehub.core.models import ImportRun

DEMO_PLACE_CODES = (
    "E08000025",  # Birmingham
    "E06000015",  # Derby
    "E08000003",  # Manchester
    "E06000027",  # Torbay
    "E06000014",  # York
    "E10000016",  # Kent
    "E10000013",  # Gloucestershire
)


def demo_places():
    from culturehub.places.models import Area

    return Area.objects.filter(code__in=DEMO_PLACE_CODES).order_by("name")


def data_sources_with_counts():
    from culturehub.places.models import DataSource

    return DataSource.objects.annotate(indicator_count=Count("indicators")).order_by("name")


def import_run_list():
    return ImportRun.objects.select_related("started_by")


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def api_endpoint_groups(api) -> list[dict]:
    """The API's operations from its OpenAPI document, grouped by tag, for the documentation page."""
    schema = api.get_openapi_schema()
    groups: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append({
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter.get("in", ""),
                        "required": parameter.get("required", False),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
            })
    return [{"tag": tag, "operations": operations} for tag, operations in groups.items()]


def register_sources_with_counts() -> list[dict]:
    """Each public register the directory draws on, with how many of its entries are loaded."""
    from culturehub.registers.models import RegisterRecord
    from culturehub.registers.sources import SOURCES

    counts = dict(RegisterRecord.objects.values_list("source").annotate(Count("pk")).order_by())
    return [{"source": info, "records": counts.get(key, 0)} for key, info in SOURCES.items()]


def procurement_notices_summary() -> dict:
    """The procurement notices loaded, by the service that published them, with their licence and dates."""
    from culturehub.opportunities.publishers import notices_by_service

    services = notices_by_service()
    return {
        "services": services,
        "total": sum(count.notices for count in services),
        "undated": sum(count.undated for count in services),
        "first_published": min(filter(None, (count.first_published for count in services)), default=None),
        "last_published": max(filter(None, (count.last_published for count in services)), default=None),
        "licence": OGL,
        "licence_url": OGL_URL,
    }
