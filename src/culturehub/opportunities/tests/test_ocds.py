"""Reading OCDS files one release at a time: every accepted format, bad releases, and files that are
not OCDS at all (one clear line each)."""

import json

import pytest

from culturehub.opportunities.ocds import NotOcdsError, read_releases, release_text


def release(ocid, title="Community arts programme", **extra):
    return {"ocid": ocid, "id": f"{ocid}-r1", "tag": ["tender"], "tender": {"title": title}, **extra}


def write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def ocids(path):
    return [item.release["ocid"] if item.release else None for item in read_releases(path)]


def test_a_release_package_pretty_printed_is_read_release_by_release(tmp_path):
    path = write(
        tmp_path / "p.json", json.dumps({"uri": "x", "releases": [release("a"), release("b")]}, indent=2)
    )
    items = list(read_releases(path))
    assert [item.release["ocid"] for item in items] == ["a", "b"]
    assert [item.position for item in items] == ["release 1", "release 2"]
    assert all(item.error is None for item in items)


def test_a_compact_single_line_package_is_read(tmp_path):
    path = write(
        tmp_path / "p.json", json.dumps({"releases": [release("a"), release("b")], "version": "1.1"})
    )
    assert ocids(path) == ["a", "b"]


def test_a_record_package_gives_each_records_releases_or_its_compiled_release(tmp_path):
    package = {
        "records": [
            {"ocid": "a", "releases": [release("a"), release("a", title="Amended")]},
            {
                "ocid": "b",
                "releases": [{"url": "https://example.org/b.json", "date": "2025-01-01"}],
                "compiledRelease": release("b"),
            },
        ]
    }
    path = write(tmp_path / "r.json", json.dumps(package, indent=1))
    items = list(read_releases(path))
    assert [item.release["ocid"] for item in items] == ["a", "a", "b"]
    assert items[2].position == "record 2, compiled release"


def test_a_bare_array_of_releases_is_read_and_a_bad_element_does_not_stop_it(tmp_path):
    path = write(tmp_path / "a.json", json.dumps([release("a"), 5, {"id": "no-ocid"}, release("d")]))
    items = list(read_releases(path))
    assert [item.release and item.release["ocid"] for item in items] == ["a", None, None, "d"]
    assert items[1].error == "release 2 is not a JSON object (it is a number)"
    assert items[2].error == "release 3 has no 'ocid'"


def test_json_lines_hold_releases_or_packages_and_a_broken_line_is_reported(tmp_path):
    lines = [
        json.dumps(release("a")),
        "",
        json.dumps({"releases": [release("b"), release("c")]}),
        "{not json",
        json.dumps(["a list"]),
    ]
    path = write(tmp_path / "l.jsonl", "\n".join(lines) + "\n")
    items = list(read_releases(path))
    assert [item.position for item in items] == [
        "line 1",
        "line 3, release 1",
        "line 3, release 2",
        "line 4",
        "line 5",
    ]
    assert [item.release and item.release["ocid"] for item in items] == ["a", "b", "c", None, None]
    assert items[3].error.startswith("line 4 is not valid JSON")
    assert items[4].error == "line 5 is not a JSON object (it is a list)"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = write(
        tmp_path / "p.json", b"\xef\xbb\xbf" + json.dumps({"releases": [release("a")]}, indent=1).encode()
    )
    assert ocids(path) == ["a"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("  \n\n", "is empty"),
        ("ocid,title\n1,x\n", "is not JSON"),
        (json.dumps({"data": [1, 2]}, indent=1), "holds no 'releases' or 'records'"),
        (json.dumps({"data": [1, 2]}), "holds neither an OCDS release nor a package"),
        (json.dumps([1, 2, 3]), "first element is not an OCDS release"),
        (json.dumps({"releases": [release("a"), release("b")]}, indent=1)[:120], "is not valid JSON"),
        (json.dumps({"releases": [release("a")]}, indent=1).encode("utf-16"), "UTF-16"),
        (
            json.dumps({"releases": [release("a", title="Café")]}, ensure_ascii=False, indent=1).encode(
                "latin-1"
            ),
            "is not UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_ocds_gets_one_clear_line(tmp_path, content, message):
    path = write(tmp_path / "bad.json", content)
    with pytest.raises(NotOcdsError) as raised:
        list(read_releases(path))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_one_clear_line(tmp_path):
    with pytest.raises(NotOcdsError, match="cannot open"):
        list(read_releases(tmp_path / "missing.json"))


def test_release_text_gathers_what_a_reader_of_the_notice_reads():
    text = release_text(
        {
            "ocid": "ocds-x-1",
            "tag": ["tender"],
            "buyer": {"id": "org-1", "name": "Kent County Council"},
            "parties": [
                {
                    "id": "org-1",
                    "name": "Kent County Council",
                    "roles": ["buyer"],
                    "details": {
                        "classifications": [{"scheme": "TED_CA_TYPE", "id": "Regional or local authority"}]
                    },
                },
            ],
            "tender": {
                "title": "Dementia day opportunities",
                "description": "Group activities for people living with dementia.",
                "classification": {
                    "scheme": "CPV",
                    "id": "85323000-9",
                    "description": "Community health services",
                },
                "items": [
                    {
                        "id": "1",
                        "description": "Day service",
                        "classification": {"scheme": "CPV", "id": "85312100"},
                        "additionalClassifications": [
                            {"scheme": "CPV", "id": "92312000", "description": "Artistic services"},
                            {"scheme": "UNSPSC", "id": "12345678"},
                        ],
                    },
                ],
                "lots": [{"id": "1", "title": "North Kent", "description": "Two centres"}],
                "documents": [
                    {"id": "d", "documentType": "tenderNotice", "noticeType": "UK4"},
                    {"id": "e", "documentType": "technicalSpecifications"},
                ],
            },
        }
    )
    assert text["title"] == "Dementia day opportunities"
    assert text["buyer"] == "Kent County Council"
    assert "Regional or local authority" in text["buyer_type"]
    assert text["cpv_codes"].split() == ["85323000", "85312100", "92312000"]
    assert "Artistic services" in text["cpv_descriptions"]
    assert text["lots"] == "North Kent . Two centres"
    assert text["items"] == "Day service"
    assert text["notice_type"].split() == ["UK4", "tenderNotice", "tender"]


def test_release_text_survives_fields_of_the_wrong_type():
    text = release_text(
        {"ocid": "x", "tender": {"title": 5, "items": "none", "lots": [None]}, "buyer": "Kent"}
    )
    assert text["title"] == "" and text["cpv_codes"] == "" and text["buyer"] == ""


def test_json_lines_that_orjson_refuses_are_read_as_json_loads_reads_them(tmp_path):
    """NaN, integers past 64 bits and lone surrogates are read, as they were, so the importer can say
    what is wrong with such a release rather than call the line broken."""
    lines = [
        '{"ocid": "nan", "value": NaN}',
        '{"ocid": "big", "value": 123456789012345678901234567890, "small": -9223372036854775809}',
        '{"ocid": "surrogate", "title": "\\ud800"}',
        '{"ocid": "broken"',
    ]
    items = list(read_releases(write(tmp_path / "odd.jsonl", "\n".join(lines) + "\n")))
    assert [item.release["ocid"] if item.release else None for item in items] == [
        "nan", "big", "surrogate", None,
    ]
    assert items[1].release["value"] == 123456789012345678901234567890
    assert items[1].release["small"] == -9223372036854775809
    assert items[2].release["title"] == "\ud800"
    assert "line 4 is not valid JSON" in items[3].error
