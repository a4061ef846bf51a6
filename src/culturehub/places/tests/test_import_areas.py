import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.core.models import ImportRun
from culturehub.places.importers import AreasImporter
from culturehub.places.models import Area, AreaAlias, AreaIcb, DataSource

pytestmark = pytest.mark.django_db

KIND = Area.Kind


def codes_of(kind):
    return set(Area.objects.filter(kind=kind).values_list("code", flat=True))


@pytest.fixture
def lookups(tmp_path, fixtures_dir):
    """A writable copy of the small lookups, to damage in a test."""
    folder = tmp_path / "lookups"
    shutil.copytree(fixtures_dir / "ons_lookups", folder)
    return folder


def replace_line(path, number, old, new):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


def test_it_loads_every_kind_of_area_with_codes_names_and_the_hierarchy(small_areas):
    assert small_areas.rows_created == 31 and small_areas.rows_rejected == 0
    assert codes_of(KIND.COUNTRY) == {"E92000001"}
    assert codes_of(KIND.REGION) == {"E12000002", "E12000003", "E12000007", "E12000008"}
    assert codes_of(KIND.COUNTY) == {"E10000016", "E10000017"}
    assert codes_of(KIND.DISTRICT) == {"E07000105", "E07000117", "E07000118"}
    assert codes_of(KIND.UNITARY) == {"E06000014", "E06000060", "E06000063"}
    assert codes_of(KIND.METROPOLITAN) == {"E08000001", "E08000003"}
    assert codes_of(KIND.LONDON_BOROUGH) == {"E09000001"}
    assert len(codes_of(KIND.ICB)) == 8

    ashford = Area.objects.get(code="E07000105")
    assert ashford.name == "Ashford"
    assert ashford.upper_tier.code == "E10000016" and ashford.region.code == "E12000008"
    kent = Area.objects.get(code="E10000016")
    assert kent.name == "Kent" and kent.upper_tier is None and kent.region.code == "E12000008"
    manchester = Area.objects.get(code="E08000003")
    assert manchester.upper_tier is None and manchester.is_upper_tier
    assert manchester.region.name == "North West"
    greater_manchester = Area.objects.get(code="E54000057")
    assert greater_manchester.nhs_code == "QOP"
    assert greater_manchester.name == "NHS Greater Manchester Integrated Care Board"
    assert list(AreaIcb.objects.filter(area=manchester).values_list("icb__code", "share")) == [
        ("E54000057", 1.0)
    ]


def test_a_district_split_between_icbs_keeps_each_share(small_areas):
    shares = dict(AreaIcb.objects.filter(area__code="E06000063").values_list("icb__code", "share"))
    assert shares == {"E54000050": 0.9661, "E54000048": 0.0339}
    buckinghamshire = dict(AreaIcb.objects.filter(area__code="E06000060").values_list("icb__code", "share"))
    assert buckinghamshire == {"E54000044": 0.988, "E54000024": 0.012}


def test_old_codes_become_aliases_of_the_area_that_replaced_them(small_areas):
    aliases = {alias.code: alias for alias in AreaAlias.objects.select_related("area")}
    assert set(aliases) == {
        "E07000004", "E07000005", "E07000006", "E07000007",  # into Buckinghamshire, 2020
        "E07000026", "E07000028", "E07000029",  # into Cumberland, 2023
    }
    aylesbury = aliases["E07000004"]
    assert aylesbury.area.code == "E06000060" and aylesbury.name == "Aylesbury Vale"
    assert aylesbury.same_area is False
    assert aylesbury.note == "Aylesbury Vale merged into Buckinghamshire (E06000060) in the 2020 lookup."
    assert not AreaAlias.objects.filter(code__in=Area.objects.values("code")).exists()


def test_a_second_run_reports_nothing_changed(small_areas):
    run = AreasImporter().run(small_areas.location)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 31)
    assert run.message == "Read 31 rows: nothing changed (31 unchanged, 0 rejected)."


def test_a_changed_name_or_icb_share_is_updated(lookups):
    AreasImporter().run(lookups)
    replace_line(lookups / "lookup_ltla24_region24.csv", 5, "Ashford,", "Ashford Borough,")
    replace_line(lookups / "DERIVED_ltla24_sicbl24_icb24_by_lsoa21_count.csv", 6, ",0.0339", ",0.04")
    run = AreasImporter().run(lookups)
    assert (run.rows_created, run.rows_updated) == (0, 2)
    assert Area.objects.get(code="E07000105").name == "Ashford Borough"
    assert AreaIcb.objects.get(area__code="E06000063", icb__code="E54000048").share == 0.04


def test_damaged_rows_are_rejected_with_their_line_while_good_rows_load(lookups):
    replace_line(lookups / "lookup_ltla24_region24.csv", 8, "E09000001", "E0900000X")
    replace_line(lookups / "DERIVED_ltla24_sicbl24_icb24_by_lsoa21_count.csv", 8, ",1.0", ",lots")
    run = AreasImporter().run(lookups)
    assert run.status == ImportRun.Status.SUCCEEDED
    errors = list(run.row_errors.values_list("line", "message"))
    assert errors == [
        (8, "DERIVED_ltla24_sicbl24_icb24_by_lsoa21_count.csv: share_of_ltla_lsoas is 'lots', which is not "
            "a number. Use digits with a decimal point, or leave the cell empty."),
        (8, "lookup_ltla24_region24.csv: 'E0900000X' is not an English district code (E06, E07, E08 or "
            "E09 followed by six digits)."),
    ]
    assert run.rows_rejected == 2
    assert Area.objects.filter(code="E08000003").exists()
    # Burnley (line 8 of the ICB file) loads without its ICB link rather than with a guessed one.
    assert Area.objects.filter(code="E07000117").exists()
    assert not AreaIcb.objects.filter(area__code="E07000117").exists()


def test_a_missing_lookup_fails_cleanly_and_keeps_what_was_stored(lookups):
    AreasImporter().run(lookups)
    before = Area.objects.count()
    (lookups / "lookup_ltla23_utla23.csv").unlink()
    run = AreasImporter().run(lookups)
    assert run.status == ImportRun.Status.FAILED
    assert "lookup_ltla23_utla23.csv" in run.message
    assert Area.objects.count() == before


def test_a_lookup_that_is_not_utf8_fails_the_whole_run(lookups):
    path = lookups / "lookup_ltla24_region24.csv"
    path.write_bytes(path.read_bytes().replace(b"Ashford", b"Ashf\xf6rd"))
    run = AreasImporter().run(lookups)
    assert run.status == ImportRun.Status.FAILED
    assert "is not UTF-8" in run.message
    assert not Area.objects.exists()


def test_the_import_records_its_data_source(small_areas):
    source = DataSource.objects.get(key="ons-geography")
    assert source.licence == "Open Government Licence v3.0"
    assert "not an official ONS lookup" in source.attribution


def test_the_bundled_lookups_hold_every_english_area(all_areas):
    assert all_areas.rows_rejected == 0
    counts = {kind: len(codes_of(kind)) for kind in KIND.values}
    assert counts == {
        "country": 1, "region": 9, "county": 21, "district": 164, "unitary": 63,
        "metropolitan": 36, "london_borough": 33, "icb": 42,
    }
    assert AreaAlias.objects.count() == 42
    # Every council below the region has an ICB, and each district's shares add up to the whole.
    for area in Area.objects.filter(kind__in=[KIND.DISTRICT, KIND.UNITARY, KIND.METROPOLITAN,
                                              KIND.LONDON_BOROUGH]):
        total = sum(AreaIcb.objects.filter(area=area).values_list("share", flat=True))
        assert total == pytest.approx(1.0, abs=0.001), area.code
    assert not Area.objects.filter(kind=KIND.DISTRICT, upper_tier__isnull=True).exists()
    assert not Area.objects.filter(kind=KIND.COUNTY, region__isnull=True).exists()


def test_the_command_reports_what_it_did_and_fails_with_status_2_on_a_bad_folder(fixtures_dir, tmp_path):
    out = StringIO()
    call_command("import_areas", str(fixtures_dir / "ons_lookups"), stdout=out)
    assert "Read 31 rows: 31 created, 0 updated, 0 unchanged, 0 rejected." in out.getvalue()
    with pytest.raises(CommandError) as failure:
        call_command("import_areas", str(tmp_path / "nowhere"))
    assert failure.value.returncode == 2
    assert "There is no folder at" in str(failure.value)
