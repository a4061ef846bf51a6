from io import StringIO

import pytest
from django.core.management import call_command

from culturehub.core.models import ImportRun
from culturehub.places.management.commands import load_demo
from culturehub.places.models import Area, Indicator, IndicatorValue, Priority
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db

DEMO_PLACES = ("E08000025", "E06000015", "E08000003", "E06000027", "E06000014", "E10000016", "E10000013")


def test_load_demo_loads_the_snapshot_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True  # the demo sign-ins are made only in development
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Demo data loaded." in text
    assert "Demo sign-ins (development only):" in text

    assert Term.objects.themes().count() == 7
    assert Area.objects.filter(code__in=DEMO_PLACES).count() == 7
    assert Area.objects.get(code="E10000016").districts.count() == 12  # Kent's districts
    # Fingertips figures for Manchester and England (the only demo places in the shared subset) ...
    fingertips = IndicatorValue.objects.filter(indicator__key__startswith="fingertips-")
    assert set(fingertips.values_list("area__code", flat=True)) == {"E08000003", "E92000001"}
    # ... ONS4 for every district, and each place's published priorities.
    assert IndicatorValue.objects.filter(indicator__key="ons-happiness", area__code="E06000027").exists()
    assert Indicator.objects.filter(key__startswith="ons-").count() == 4
    assert set(Priority.objects.values_list("area__code", flat=True)) == set(DEMO_PLACES)
    assert not ImportRun.objects.exclude(status=ImportRun.Status.SUCCEEDED).exists()
    assert not ImportRun.objects.filter(rows_rejected__gt=0).exists()

    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Demo data already up to date: nothing changed." in again.getvalue()
    latest = ImportRun.objects.order_by("-pk")[:7]
    assert not any(run.changed_anything for run in latest)


def test_load_demo_if_missing_does_nothing_when_areas_are_loaded(small_areas):
    out = StringIO()
    call_command("load_demo", "--if-missing", stdout=out)
    assert out.getvalue().strip() == "Areas are already loaded: leaving the data as it is."
    assert not IndicatorValue.objects.exists()


def test_load_demo_carries_on_when_the_demo_users_command_does_not_exist(monkeypatch, small_areas):
    monkeypatch.setattr(load_demo, "DEMO_USERS_COMMAND", "no_such_command_here")
    monkeypatch.setattr(load_demo, "demo_data_load", _already_loaded_report)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "No no_such_command_here command yet: no demo users created." in out.getvalue()


def _already_loaded_report(*, progress, if_missing):
    from culturehub.places.imports import DemoLoadReport

    return DemoLoadReport(loaded=True)
