"""Fixtures for the places importers: small real files cut from the public sources (see
fixtures/README.md) and the areas they need."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def small_areas(db):
    """Nine real districts with their counties, regions, ICBs and old codes, from cut ONS lookups."""
    from culturehub.places.importers import AreasImporter

    run = AreasImporter().run(FIXTURES / "ons_lookups")
    assert run.status == "succeeded", run.message
    return run


@pytest.fixture
def all_areas(db):
    """Every English area from the bundled ONS lookups (about a second to load)."""
    from culturehub.places.imports import areas_import

    run = areas_import()
    assert run.status == "succeeded", run.message
    return run
