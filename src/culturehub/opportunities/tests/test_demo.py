"""The demo's real procurement notices: loaded by `load_demo`, judged, placed and listed as a source."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.db.models import Q
from django.urls import reverse

from culturehub.core.models import ImportRun
from culturehub.core.selectors import DEMO_PLACE_CODES
from culturehub.opportunities.models import Buyer, Opportunity, Release
from culturehub.places.imports import areas_import
from culturehub.places.management.commands import load_demo

pytestmark = pytest.mark.django_db

TRANSCRIBED, AS_PUBLISHED = 111, 180  # the notices in each bundled file (demo_data/README.md)


@pytest.fixture
def demo_notices():
    """The demo's areas (so buyers can be placed) and its notices, loaded once."""
    areas_import()
    return load_demo.demo_notices_load()


def test_the_demo_notices_load_whole_and_a_second_load_changes_nothing(demo_notices):
    assert [run.status for run in demo_notices] == [ImportRun.Status.SUCCEEDED] * 2
    assert [(run.rows_created, run.rows_rejected) for run in demo_notices] == [
        (TRANSCRIBED, 0), (AS_PUBLISHED, 0),
    ]
    assert Opportunity.objects.count() == TRANSCRIBED + AS_PUBLISHED
    releases = Release.objects.count()
    runs_before = ImportRun.objects.count()

    # The second load goes through the command's step, which prints each file's run as the registers do.
    out = StringIO()
    load_demo.Command(stdout=OutputWrapper(out))._load_notices()

    again = ImportRun.objects.order_by("pk")[runs_before:]
    assert [(run.rows_created, run.rows_updated, run.rows_unchanged) for run in again] == [
        (0, 0, TRANSCRIBED), (0, 0, AS_PUBLISHED),
    ]
    assert not any(run.changed_anything for run in again)
    assert Release.objects.count() == releases
    assert Opportunity.objects.count() == TRANSCRIBED + AS_PUBLISHED
    text = out.getvalue()
    assert f"releases_pages_dev.json: Read {TRANSCRIBED} rows: nothing changed ({TRANSCRIBED} unch" in text
    assert f"releases_wales_scotland.json: Read {AS_PUBLISHED} rows: nothing changed" in text


def test_the_demo_notices_are_judged_and_some_buyers_are_placed_in_the_demo_places(demo_notices):
    by_relevance = {
        relevance: Opportunity.objects.filter(relevance=relevance).count()
        for relevance in ("direct", "adjacent", "none")
    }
    assert all(by_relevance.values()), by_relevance
    # Most real notices are not for the cultural sector, and the judge should say so.
    assert by_relevance["none"] > by_relevance["direct"] + by_relevance["adjacent"]
    in_demo_places = Q(area__code__in=DEMO_PLACE_CODES) | Q(area__upper_tier__code__in=DEMO_PLACE_CODES)
    placed = set(Buyer.objects.filter(in_demo_places).values_list("area__code", flat=True))
    assert {"E06000027", "E10000016"} <= placed  # Torbay Council; Kent County Council
    assert Opportunity.objects.filter(buyer__area__code="E06000027").exclude(relevance="none").exists()


def test_the_data_page_lists_the_procurement_notices_by_publisher_with_licence_dates_and_counts(
    demo_notices, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        html = client.get(reverse("core:data_sources")).content.decode()
    assert "Procurement notices" in html
    assert f"{TRANSCRIBED + AS_PUBLISHED} public procurement notices are loaded" in html
    assert "Open Government Licence v3.0" in html
    for service, publisher in (("Sell2Wales", "Welsh Government"), ("Find a Tender", "Cabinet Office"),
                               ("Public Contracts Scotland", "Scottish Government")):
        assert service in html and publisher in html
    sell2wales = Opportunity.objects.filter(ocid__startswith="ocds-kuma6s-").count()
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{sell2wales}</td>' in html
    earliest = Opportunity.objects.exclude(first_published=None).order_by("first_published").first()
    assert f"first published between {earliest.first_published:%-d %B %Y}" in html


def test_the_data_page_says_when_no_notices_are_loaded(client):
    html = client.get(reverse("core:data_sources")).content.decode()
    assert "No procurement notices are loaded yet." in html
