"""The notices importer on real releases: packages, records, JSON Lines, damage, re-import, compiling."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.core.models import ImportRun
from culturehub.opportunities import importer as importer_module
from culturehub.opportunities.buyers import AreaIndex, buyer_type
from culturehub.opportunities.importer import (
    COMPILED_FIELDS,
    NoticesImporter,
    canonical_json,
    content_hash,
    notices_import_files,
)
from culturehub.opportunities.models import Buyer, Lot, Opportunity, Release, Source, Stage
from culturehub.places.models import Area, AreaAlias

FIXTURES = Path(__file__).parent / "fixtures"
RELEASE_PACKAGE = FIXTURES / "release_package.json"
RECORD_PACKAGE = FIXTURES / "record_package.json"
JSON_LINES = FIXTURES / "releases.jsonl"
DAMAGED = FIXTURES / "damaged_release_package.json"

pytestmark = pytest.mark.django_db


def _releases(path: Path = RELEASE_PACKAGE) -> list[dict]:
    return json.loads(path.read_text())["releases"]


def _write_package(tmp_path: Path, releases: list, name: str = "package.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"version": "1.1", "releases": releases}))
    return path


def _import(path: Path, **kwargs) -> ImportRun:
    run = NoticesImporter(**kwargs).run(path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    return run


# Reading each kind of file ------------------------------------------------------------------------------


def test_release_package_imports_every_release_as_an_opportunity():
    run = _import(RELEASE_PACKAGE)
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (7, 7, 0)
    assert Opportunity.objects.count() == 7
    pantomime = Opportunity.objects.get(ocid="ocds-kuma6s-148333")
    assert pantomime.title == "Swansea Pantomime"
    assert pantomime.buyer.name == "City & County of Swansea"
    assert pantomime.stage == Stage.TENDER
    assert pantomime.notice_type == "tender"  # a notice from before the Act: its kind from the tags
    published = next(item["date"] for item in _releases() if item["ocid"] == "ocds-kuma6s-148333")
    assert pantomime.first_published == pantomime.last_updated == datetime.fromisoformat(published)
    assert pantomime.sources == [Source.FILE]
    assert pantomime.publisher == "Sell2Wales"
    assert pantomime.cpv_codes and all(len(code) == 8 for code in pantomime.cpv_codes)
    assert pantomime.lots.exists()


def test_scottish_releases_without_an_id_get_a_stable_id_from_their_content():
    _import(RELEASE_PACKAGE)
    scottish = Release.objects.filter(opportunity__ocid__startswith="ocds-r6ebe6")
    assert scottish.count() == 3
    for release in scottish:
        assert release.id_derived
        assert release.release_id == f"sha256-{content_hash(release.data)[:32]}"
    assert not Release.objects.filter(opportunity__ocid__startswith="ocds-kuma6s", id_derived=True).exists()


def test_record_package_and_json_lines_import():
    records = _import(RECORD_PACKAGE)
    lines = _import(JSON_LINES)
    assert (records.rows_created, lines.rows_created) == (4, 4)
    assert Opportunity.objects.count() == 8
    assert Opportunity.objects.get(ocid="ocds-kuma6s-148111").title.startswith("Ceredigion - Flying Start")


def test_value_deadline_and_lots_are_compiled():
    _import(RELEASE_PACKAGE)
    release = next(item for item in _releases() if item["ocid"] == "ocds-kuma6s-148333")
    opportunity = Opportunity.objects.get(ocid="ocds-kuma6s-148333")
    tender = release["tender"]
    if "value" in tender:
        assert opportunity.value_amount == Decimal(str(tender["value"]["amount"])).quantize(Decimal("0.01"))
    assert opportunity.tender_deadline is not None
    assert opportunity.tender_deadline.isoformat().startswith(tender["tenderPeriod"]["endDate"][:10])
    assert sorted(opportunity.lots.values_list("lot_id", flat=True)) == sorted(
        lot["id"] for lot in tender["lots"]
    )


# Damage -------------------------------------------------------------------------------------------------


def test_damaged_releases_are_rejected_with_their_position_and_reason_while_the_rest_load():
    run = _import(DAMAGED)
    assert run.rows_read == 7
    assert (run.rows_created, run.rows_rejected) == (3, 4)
    messages = list(run.row_errors.values_list("message", flat=True))
    assert any("release 2" in message and "not a JSON object" in message for message in messages)
    assert any("release 3" in message and "ocid" in message for message in messages)
    assert any("release 4" in message and "next Tuesday" in message for message in messages)
    assert any("release 6" in message and "'tender' must be an object" in message for message in messages)
    assert run.row_errors.filter(field="date").exists()
    assert Opportunity.objects.count() == 3


def test_a_file_that_is_not_ocds_fails_the_run_with_one_clear_message(tmp_path):
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": [{"name": "Ada"}]}))
    run = NoticesImporter().run(path)
    assert run.status == ImportRun.Status.FAILED
    assert "releases" in run.message
    assert not Opportunity.objects.exists()


# Idempotence and history -------------------------------------------------------------------------------


def test_a_second_run_of_the_same_file_changes_nothing():
    _import(RELEASE_PACKAGE)
    before = list(Opportunity.objects.order_by("ocid").values())
    run = _import(RELEASE_PACKAGE)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 7)
    assert "nothing changed" in run.message
    assert list(Opportunity.objects.order_by("ocid").values()) == before
    assert Release.objects.count() == 7


def test_the_same_release_in_another_file_with_keys_reordered_is_unchanged(tmp_path):
    _import(RELEASE_PACKAGE)
    reordered = [dict(reversed(list(release.items()))) for release in _releases()]
    run = _import(_write_package(tmp_path, reordered))
    assert run.rows_unchanged == 7 and not run.changed_anything


def test_the_same_releases_as_json_lines_are_unchanged(tmp_path):
    """A package is streamed (numbers as Decimals), JSON Lines are parsed whole (floats): same hashes."""
    _import(RELEASE_PACKAGE)
    path = tmp_path / "same.jsonl"
    path.write_text("".join(json.dumps(release) + "\n" for release in _releases()))
    run = _import(path)
    assert run.rows_unchanged == 7 and not run.changed_anything


def test_a_release_holding_nan_is_rejected(tmp_path):
    path = tmp_path / "nan.jsonl"
    release = json.dumps(_releases()[0]).replace('"amount": 900000.0', '"amount": NaN', 1)
    assert "NaN" in release
    path.write_text(release + "\n" + json.dumps(_releases()[1]) + "\n")
    run = _import(path)
    assert (run.rows_created, run.rows_rejected) == (1, 1)
    assert "NaN" in run.row_errors.get().message


@pytest.mark.parametrize("kind", ["package", "lines"])
def test_find_a_tenders_1e9999_for_no_limit_is_kept_as_its_text(tmp_path, kind):
    """As the live import keeps it (see live.py): infinity is a value no JSON encoder writes back."""
    release = json.dumps(_releases()[0]).replace(
        '"tender": {', '"tender": {"lotDetails": {"maximumLotsBidPerSupplier": 1e9999}, ', 1
    )
    assert "1e9999" in release
    if kind == "package":
        path = tmp_path / "package.json"
        path.write_text('{"version": "1.1", "releases": [' + release + "]}")
    else:
        path = tmp_path / "lines.jsonl"
        path.write_text(release + "\n")
    run = _import(path)
    assert (run.rows_created, run.rows_rejected) == (1, 0)
    stored = Release.objects.get().data["tender"]["lotDetails"]["maximumLotsBidPerSupplier"]
    assert stored == "1e9999"
    assert not _import(path).changed_anything


def test_a_release_given_twice_in_one_file_is_stored_once_and_said_so(tmp_path):
    releases = _releases()
    changed = copy.deepcopy(releases[0])
    changed["tender"]["title"] = "A different title"
    run = _import(_write_package(tmp_path, [*releases, releases[1], changed]))
    assert (run.rows_read, run.rows_created, run.rows_unchanged) == (9, 7, 2)
    assert "given more than once in the input (stored once): 1" in run.log
    assert "different content (the first copy kept): 1" in run.log
    assert Opportunity.objects.get(ocid=releases[0]["ocid"]).title == releases[0]["tender"]["title"]


def test_a_corrected_release_updates_its_opportunity(tmp_path):
    _import(RELEASE_PACKAGE)
    releases = _releases()
    releases[3]["tender"]["title"] = "Swansea Pantomime 2025"
    run = _import(_write_package(tmp_path, releases))
    assert (run.rows_updated, run.rows_unchanged) == (1, 6)
    assert Opportunity.objects.get(ocid="ocds-kuma6s-148333").title == "Swansea Pantomime 2025"
    assert Release.objects.filter(opportunity__ocid="ocds-kuma6s-148333").count() == 1


def _standard_hash(release) -> str:
    """The hash as the standard library writes it: keys sorted, compact, UTF-8, NaN refused."""
    text = json.dumps(release, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      cls=importer_module.ReleaseJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("value", [
    900000.0, 0.1, 1.5e-05, 7.97e-05, 5.1e-08, -1.2e-06, 1e16, 1e22, 2.5e-300, -0.0, 10**20, -(10**25),
    Decimal("12.50"), Decimal("1E+3"), Decimal("7"), Decimal("0.00001"), "café £5 \u001f \\ \"x\"", None,
])
def test_the_content_hash_is_the_one_the_standard_library_gives(value):
    """Stored hashes (and the ids derived from them) must not change with the JSON writer."""
    release = {**_releases()[0], "extra": {"z": value, "a": [value, {"b": value}]}}
    assert content_hash(release) == _standard_hash(release)


def test_the_content_hash_of_every_bundled_release_is_the_one_the_standard_library_gives():
    bundled = Path(importer_module.__file__).parent / "data"
    for name in ("releases_pages_dev.json", "releases_wales_scotland.json"):
        for release in json.loads((bundled / name).read_text())["releases"]:
            assert content_hash(release) == _standard_hash(release)


def test_nan_and_infinity_still_cannot_be_hashed():
    for value in (float("nan"), float("inf"), Decimal("NaN")):
        with pytest.raises(ValueError):
            canonical_json({"ocid": "x", "value": value})


def test_a_stored_release_reads_back_as_it_was_read_from_the_file():
    _import(RELEASE_PACKAGE)
    for release in _releases():
        stored = Release.objects.get(opportunity__ocid=release["ocid"])
        assert stored.data == release
        assert stored.content_hash == content_hash(release)


def test_a_second_run_of_the_same_file_judges_nothing_again(monkeypatch):
    judged = []
    judge = importer_module.judge_opportunity
    monkeypatch.setattr(importer_module, "judge_opportunity",
                        lambda **kwargs: judged.append(1) or judge(**kwargs))
    _import(RELEASE_PACKAGE)
    assert len(judged) == 7
    _import(RELEASE_PACKAGE)
    assert len(judged) == 7


def test_a_process_compiled_from_releases_in_hand_equals_one_recompiled_from_the_database(tmp_path):
    """A new process is compiled before its first insert; a known one from its stored releases: the
    two ways give the same opportunity."""
    tender = next(item for item in _releases() if item["ocid"] == "ocds-kuma6s-148333")
    award = _later_release(tender, release_id="ocds-kuma6s-148333-award-1", date="2025-04-01T00:00:00Z",
                           tag="award", tender__title="Swansea Pantomime (awarded)")
    _import(_write_package(tmp_path, [tender, award], "both.json"))
    in_hand = Opportunity.objects.filter(ocid=tender["ocid"]).values(*COMPILED_FIELDS).get()
    in_hand_lots = list(Lot.objects.filter(opportunity__ocid=tender["ocid"]).values("lot_id", "title"))
    assert in_hand_lots
    Opportunity.objects.all().delete()
    _import(_write_package(tmp_path, [tender], "tender.json"))
    _import(_write_package(tmp_path, [award], "award.json"))
    recompiled = Opportunity.objects.filter(ocid=tender["ocid"]).values(*COMPILED_FIELDS).get()
    assert recompiled == in_hand
    assert in_hand["title"] == "Swansea Pantomime (awarded)" and in_hand["release_count"] == 2
    lots = Lot.objects.filter(opportunity__ocid=tender["ocid"]).values("lot_id", "title")
    assert list(lots) == in_hand_lots


def _later_release(release: dict, *, release_id: str, date: str, tag: str, **changes) -> dict:
    later = copy.deepcopy(release)
    later.update(id=release_id, date=date, tag=[tag])
    for path, value in changes.items():
        target = later
        *parents, last = path.split("__")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return later


def test_an_opportunity_is_compiled_from_its_releases_in_date_order(tmp_path):
    tender = next(item for item in _releases() if item["ocid"] == "ocds-kuma6s-148333")
    award = _later_release(
        tender,
        release_id="ocds-kuma6s-148333-award-1",
        date="2025-04-01T00:00:00Z",
        tag="award",
        tender__title="Swansea Pantomime (awarded)",
        tender__value={"amount": 90000, "currency": "GBP"},
    )
    del award["tender"]["description"]  # silent on the description: the tender's stands
    # The award comes first in the file: dates, not file order, decide.
    _import(_write_package(tmp_path, [award, tender]))
    opportunity = Opportunity.objects.get(ocid="ocds-kuma6s-148333")
    assert opportunity.release_count == 2
    assert opportunity.title == "Swansea Pantomime (awarded)"
    assert opportunity.description == tender["tender"]["description"]
    assert opportunity.value_amount == Decimal("90000.00")
    assert opportunity.stage == Stage.AWARD
    assert opportunity.first_published == datetime.fromisoformat(tender["date"])
    assert opportunity.last_updated == datetime(2025, 4, 1, tzinfo=UTC)


def test_the_same_process_from_two_sources_is_one_opportunity(tmp_path):
    releases = _releases()
    _import(_write_package(tmp_path, releases[:2], "fts.json"), release_source=Source.FIND_A_TENDER)
    second = _later_release(releases[0], release_id="cf-1", date="2025-03-01T00:00:00Z", tag="tenderUpdate")
    _import(_write_package(tmp_path, [second], "cf.json"), release_source=Source.CONTRACTS_FINDER)
    opportunity = Opportunity.objects.get(ocid=releases[0]["ocid"])
    assert opportunity.releases.count() == 2
    assert opportunity.sources == [Source.CONTRACTS_FINDER, Source.FIND_A_TENDER]
    assert Opportunity.objects.count() == 2


# Notice types ------------------------------------------------------------------------------------------


def test_notice_type_from_the_documents_notice_type_and_engagement_from_milestones(tmp_path):
    release = copy.deepcopy(_releases()[0])
    release["tag"] = ["planning"]
    release["tender"]["documents"] = [
        {"id": "notice-1", "documentType": "marketEngagementNotice", "noticeType": "UK2"}
    ]
    release["planning"] = {
        "milestones": [
            {"id": "1", "type": "engagement", "title": "Provider forum", "dueDate": "2025-03-10T10:00:00Z"},
            {"id": "2", "type": "engagement", "title": "Online briefing", "dueDate": "2025-03-03T14:00:00Z"},
            {"id": "3", "type": "delivery", "title": "Service starts", "dueDate": "2025-09-01T00:00:00Z"},
        ]
    }
    release["tender"]["suitability"] = {"sme": True, "vcse": True}
    release["tender"]["otherRequirements"] = {"reservedParticipation": ["publicServiceMissionOrganization"]}
    release["tender"]["description"] += " Awarded under the Provider Selection Regime."
    _import(_write_package(tmp_path, [release]))
    opportunity = Opportunity.objects.get(ocid=release["ocid"])
    assert opportunity.notice_type == "UK2"
    assert opportunity.notice_type_label == "Preliminary market engagement notice"
    assert opportunity.stage == Stage.PLANNING
    assert [event["title"] for event in opportunity.engagement_dates] == ["Online briefing", "Provider forum"]
    assert opportunity.next_engagement == datetime(2025, 3, 3, 14, tzinfo=UTC)
    assert (opportunity.suitable_for_sme, opportunity.suitable_for_vcse) == (True, True)
    assert opportunity.reserved_participation == ["publicServiceMissionOrganization"]
    assert opportunity.is_provider_selection_regime
    assert Release.objects.get(opportunity=opportunity).notice_type == "UK2"


def test_an_award_release_that_repeats_the_tender_notice_is_an_award(tmp_path):
    release = copy.deepcopy(_releases()[0])
    release["tag"] = ["award"]
    release["tender"]["documents"] = [
        {"id": "p", "noticeType": "UK3", "datePublished": "2025-01-01T00:00:00Z"},
        {"id": "t", "noticeType": "UK4", "datePublished": "2025-02-01T00:00:00Z"},
    ]
    release["awards"] = [{"id": "1", "documents": [{"id": "a", "noticeType": "UK6"}]}]
    _import(_write_package(tmp_path, [release]))
    opportunity = Opportunity.objects.get(ocid=release["ocid"])
    assert (opportunity.notice_type, opportunity.stage) == ("UK6", Stage.AWARD)
    del release["awards"]
    release["tender"]["documents"].reverse()  # within one section the latest published, not the last listed
    release["id"] += "-corrected"
    _import(_write_package(tmp_path, [release]))
    assert Release.objects.get(release_id=release["id"]).notice_type == "UK4"


def test_notice_type_from_tags_when_the_notice_gives_none(tmp_path):
    release = copy.deepcopy(_releases()[0])
    release["tag"] = ["tender", "tenderCancellation"]
    _import(_write_package(tmp_path, [release]))
    opportunity = Opportunity.objects.get(ocid=release["ocid"])
    assert opportunity.notice_type == "tenderCancellation"
    assert opportunity.stage == Stage.CANCELLED
    assert not opportunity.is_provider_selection_regime
    assert opportunity.suitable_for_sme is None


def test_stage_of_a_compiled_release_from_its_sections(tmp_path):
    compiled = copy.deepcopy(_releases()[0])
    compiled["tag"] = ["compiled"]
    compiled["awards"] = [{"id": "1", "status": "active", "title": "Award"}]
    _import(_write_package(tmp_path, [compiled]))
    opportunity = Opportunity.objects.get(ocid=compiled["ocid"])
    assert (opportunity.stage, opportunity.notice_type) == (Stage.AWARD, "")


# Buyers ------------------------------------------------------------------------------------------------


@pytest.fixture
def areas():
    derby = Area.objects.create(code="E06000015", name="Derby", kind=Area.Kind.UNITARY)
    derbyshire = Area.objects.create(code="E10000007", name="Derbyshire", kind=Area.Kind.COUNTY)
    kent = Area.objects.create(code="E10000016", name="Kent", kind=Area.Kind.COUNTY)
    icb = Area.objects.create(
        code="E54000032", name="NHS Kent and Medway Integrated Care Board", kind=Area.Kind.ICB, nhs_code="QKS"
    )
    north = Area.objects.create(code="E08000022", name="North Tyneside", kind=Area.Kind.METROPOLITAN)
    swansea = Area.objects.create(code="W06000011", name="Swansea", kind=Area.Kind.UNITARY)
    bristol = Area.objects.create(code="E06000023", name="Bristol, City of", kind=Area.Kind.UNITARY)
    AreaAlias.objects.create(code="E07000112", area=kent, name="Shepway")
    return {
        "derby": derby,
        "derbyshire": derbyshire,
        "kent": kent,
        "icb": icb,
        "north": north,
        "swansea": swansea,
        "bristol": bristol,
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Derby City Council", "derby"),
        ("DERBY CITY COUNCIL", "derby"),
        ("Derbyshire County Council", "derbyshire"),
        ("Kent County Council", "kent"),
        ("NHS Kent and Medway Integrated Care Board", "icb"),
        ("NHS Kent & Medway ICB", "icb"),
        ("City & County of Swansea", "swansea"),
        ("Bristol City Council", "bristol"),
        ("Glocestershire County Council", None),  # no such area here: no match however close
        ("Derby Theatre", None),
        ("South Tyneside Council", None),  # close to North Tyneside, but not it
        ("Arts Council England", None),
    ],
)
def test_buyers_are_placed_by_name(areas, name, expected):
    placement = AreaIndex.load().place(name=name, scheme="", identifier="")
    assert placement.area_id == (areas[expected].pk if expected else None)
    assert placement.placed_by == ("name" if expected else "not_placed")


def test_a_misspelt_council_is_placed_by_a_close_match(areas):
    placement = AreaIndex.load().place(name="Derbyshre County Council", scheme="", identifier="")
    assert placement.area_id == areas["derbyshire"].pk


def test_buyers_are_placed_by_identifier_first(areas):
    index = AreaIndex.load()
    by_ons_code = index.place(name="Some council", scheme="GB-LAE", identifier="E06000015")
    assert by_ons_code.area_id == areas["derby"].pk
    nhs = index.place(name="A commissioning body", scheme="GB-NHS", identifier="qks")
    assert (nhs.area_id, nhs.placed_by) == (areas["icb"].pk, "identifier")
    assert index.place(name="Shepway District Council", scheme="", identifier="").area_id == areas["kent"].pk


@pytest.mark.parametrize(
    ("name", "scheme", "classifications", "expected"),
    [
        ("Derby City Council", "", [], Buyer.Type.LOCAL_AUTHORITY),
        ("Crewe Town Council", "", [], Buyer.Type.LOCAL_AUTHORITY),
        ("Arts Council England", "", [], Buyer.Type.OTHER),
        ("City of Glasgow College", "", ["Body governed by public law"], Buyer.Type.OTHER),
        ("NHS Kent and Medway ICB", "", [], Buyer.Type.ICB),
        ("Hull University Teaching Hospitals NHS Trust", "", [], Buyer.Type.NHS_TRUST),
        ("Department for Education", "", [], Buyer.Type.CENTRAL_GOVERNMENT),
        ("Crown Prosecution Service", "GB-GOR", [], Buyer.Type.CENTRAL_GOVERNMENT),
        ("Caledonia Housing Association", "", ["Regional or local agency"], Buyer.Type.OTHER),
        ("Cyngor Gwynedd", "", ["Regional or local authority"], Buyer.Type.LOCAL_AUTHORITY),
        ("", "", [], Buyer.Type.UNKNOWN),
    ],
)
def test_buyer_type(name, scheme, classifications, expected):
    assert buyer_type(name=name, scheme=scheme, classifications=classifications, area_kind=None) == expected


def test_imported_buyers_are_normalised_typed_and_placed(areas, tmp_path):
    releases = _releases()
    pantomime = next(item for item in releases if item["ocid"] == "ocds-kuma6s-148333")
    icb = _later_release(pantomime, release_id="icb-1", date="2025-02-22T00:00:00Z", tag="tender")
    icb["ocid"] = "ocds-test-icb"
    icb["buyer"] = {"id": "icb", "name": "NHS Kent and Medway Integrated Care Board"}
    icb["parties"] = [
        {
            "id": "icb",
            "name": "NHS Kent and Medway Integrated Care Board",
            "roles": ["buyer"],
            "identifier": {"scheme": "GB-NHS", "id": "QKS"},
        }
    ]
    _import(_write_package(tmp_path, [*releases, icb]))
    swansea = Buyer.objects.get(name="City & County of Swansea")
    assert (swansea.area, swansea.placed_by, swansea.buyer_type) == (
        areas["swansea"],
        Buyer.Placement.NAME,
        Buyer.Type.LOCAL_AUTHORITY,
    )
    board = Buyer.objects.get(key="GB-NHS:QKS")
    assert (board.area, board.placed_by, board.buyer_type) == (
        areas["icb"],
        Buyer.Placement.IDENTIFIER,
        Buyer.Type.ICB,
    )
    assert board.org_id == "GB-NHS-QKS"
    tayside = Buyer.objects.get(name="NHS Tayside")
    assert tayside.area is None and tayside.placed_by == Buyer.Placement.NOT_PLACED
    # One buyer per body however many notices it publishes.
    assert Buyer.objects.filter(normalised_name="city and county of swansea").count() == 1


# Queries -----------------------------------------------------------------------------------------------


def test_queries_per_batch_do_not_grow_with_the_number_of_releases(tmp_path, django_assert_max_num_queries):
    base = _releases()
    many = []
    for copy_number in range(40):
        for release in base:
            fresh = copy.deepcopy(release)
            fresh["ocid"] = f"{release['ocid']}-copy{copy_number}"
            fresh["buyer"] = {"name": f"{release['buyer']['name']} {copy_number}"}
            fresh.pop("parties", None)
            many.append(fresh)
    path = _write_package(tmp_path, many)
    # 280 releases, 280 opportunities, 280 buyers, one batch: a query per kind of write, not per row
    # (SQLite's limit on parameters splits each bulk write into chunks of a few dozen rows).
    with django_assert_max_num_queries(40):
        run = NoticesImporter().run(path)
    assert run.rows_created == 280
    assert Lot.objects.count() == 40 * sum(len(release["tender"].get("lots", [])) for release in base)
    with django_assert_max_num_queries(15):
        again = NoticesImporter().run(path)
    assert again.rows_unchanged == 280


# The command -------------------------------------------------------------------------------------------


def test_command_imports_files_and_prints_the_summary(capsys):
    call_command("import_notices", str(RELEASE_PACKAGE), str(JSON_LINES))
    out = capsys.readouterr().out
    assert "7 created" in out and "4 created" in out
    assert "Opportunities created: 7" in out
    call_command("import_notices", str(RELEASE_PACKAGE))
    assert "nothing changed" in capsys.readouterr().out


def test_command_reports_rejected_releases(capsys):
    call_command("import_notices", str(DAMAGED))
    out = capsys.readouterr().out
    assert "4 rejected" in out and "next Tuesday" in out


def test_command_needs_files_or_a_source():
    with pytest.raises(CommandError, match="name one or more OCDS files") as error:
        call_command("import_notices")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--since goes with --source"):
        call_command("import_notices", str(RELEASE_PACKAGE), "--since", "2025-01-01")


def test_notices_is_an_import_source_of_the_culturehub_command():
    from culturehub.cli import IMPORT_COMMANDS

    assert IMPORT_COMMANDS["notices"] == "import_notices"


def test_notices_import_files_gives_one_run_per_file():
    runs = notices_import_files(paths=[RELEASE_PACKAGE, RECORD_PACKAGE])
    assert [run.rows_created for run in runs] == [7, 4]
