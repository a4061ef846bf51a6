from django.db.models import Count

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
