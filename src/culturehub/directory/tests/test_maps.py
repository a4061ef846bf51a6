"""The small maps of areas served, drawn from the bundled simplified boundaries."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from culturehub.directory.maps import BOUNDARIES_FILE, ENGLAND_CODE, areas_map, boundaries
from culturehub.places.models import Area
from culturehub.places.tests.factories import make_geography


def render(areas, map_id="served-map") -> str:
    template = Template('{% load maps_tags %}{% areas_map areas map_id %}')
    return template.render(Context({"areas": areas, "map_id": map_id}))


def drawn_codes(html: str) -> list[str]:
    return re.findall(r'<path d="M[^"]+"[^>]*data-code="([A-Z0-9]+)"', html)


@pytest.mark.django_db
def test_the_tag_draws_a_district_a_county_an_icb_and_a_region():
    geo = make_geography()
    html = render([geo.maidstone, geo.kent, geo.kent_icb, geo.south_east])

    assert drawn_codes(html) == ["E07000110", "E10000016", "E54000032", "E12000008"]
    for name in ("Maidstone", "Kent", "NHS Kent and Medway Integrated Care Board", "South East"):
        assert f"<li>{name}" in html
    assert 'role="img"' in html
    assert 'aria-labelledby="served-map-title served-map-desc"' in html
    assert re.search(r'<desc id="served-map-desc">[^<]*Maidstone, Kent, NHS Kent and Medway Integrated Care '
                     r'Board, South East\.</desc>', html)
    assert "style=" not in html
    assert "does not show" not in html


def test_an_unknown_code_is_listed_with_a_note_instead_of_failing():
    html = render(["E07999999"])

    assert "<li>E07999999" in html
    assert "The map does not show E07999999: we hold no boundary for it." in html
    assert "<svg" not in html


def test_a_known_area_beside_an_unknown_one_is_still_drawn():
    unknown = Area(code="E06999999", name="Nowhere Unitary", kind=Area.Kind.UNITARY)
    html = render(["E08000003", unknown])

    assert drawn_codes(html) == ["E08000003"]
    assert "The map does not show Nowhere Unitary (E06999999)" in html


def test_no_areas_gives_a_sentence_not_a_map():
    html = render([])

    assert "No areas given." in html and "<svg" not in html


def test_a_district_map_zooms_in_and_an_england_map_shows_all_of_it():
    bounds = boundaries()["bounds"]
    district = areas_map(["E07000110"], "m")
    england = areas_map([ENGLAND_CODE], "m")

    width = float(district.view_box.split()[2])
    assert width < bounds[2] / 2
    assert england.view_box == " ".join(str(value) for value in bounds)


def test_the_england_outline_is_drawn_faintly_under_every_map():
    html = render(["E07000110"])

    outline = boundaries()["areas"][ENGLAND_CODE]["d"]
    assert f'<path d="{outline}" fill="#f3f2f1"' in html


def test_the_bundled_file_is_small_and_holds_every_kind_of_area():
    assert BOUNDARIES_FILE.stat().st_size < 1_500_000
    codes = set(boundaries()["areas"])
    prefixes = {code[:3] for code in codes}
    assert {"E06", "E07", "E08", "E09", "E10", "E12", "E54", "E92"} <= prefixes
    assert len([code for code in codes if code.startswith("E12")]) == 9


@pytest.mark.django_db
def test_every_area_culture_hub_loads_has_a_boundary():
    from culturehub.places.imports import areas_import

    run = areas_import()
    assert run.status == "succeeded", run.message
    loaded = set(Area.objects.values_list("code", flat=True))
    missing = loaded - set(boundaries()["areas"])

    assert not missing, f"no boundary for {sorted(missing)}"
