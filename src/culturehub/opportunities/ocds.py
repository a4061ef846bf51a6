"""Reading OCDS files one release at a time, and the text a reader of a notice would read.

Accepted: a release package (`{"releases": [...]}`), a record package (`{"records": [...]}`, each
record's embedded releases, or its compiled release where the record only links to its releases), a
bare JSON array of releases, and JSON Lines holding one release or one package per line. Large
packages are streamed with ijson so memory stays flat however many releases a file holds.

A file that is not OCDS at all raises `NotOcdsError` with one line saying what to do. A single bad
release (not an object, no `ocid`, a line that is not JSON) is yielded as a `ReleaseItem` with an
`error`, so one bad notice never stops a run.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import ijson
import orjson

from culturehub.core.importers import ImportFileError

# A first line longer than this is read as one streamed document rather than as a JSON Lines line,
# so a compact single-line package from an API is never loaded whole.
MAX_LINE_BYTES = 1 << 20
RELEASE_KEYS = frozenset(
    {
        "ocid",
        "id",
        "date",
        "tag",
        "initiationType",
        "tender",
        "buyer",
        "parties",
        "planning",
        "awards",
        "contracts",
    }
)
PACKAGE_KEYS = ("releases", "records")
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


class NotOcdsError(ImportFileError):
    """The file is not OCDS at all (not JSON, no releases or records, empty, wrong encoding)."""


@dataclass(frozen=True)
class ReleaseItem:
    position: str  # where the release sits in its file, e.g. "line 12" or "release 37"
    release: dict | None
    error: str | None


def read_releases(path: Path) -> Iterator[ReleaseItem]:
    """Every release in the file, in file order; bad releases carry an error instead."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise NotOcdsError(f"cannot open {path}: {error.strerror or error}.") from error
    with handle:
        start = _skip_to_content(handle, path)
        handle.seek(start)
        first = handle.read(1)
        handle.seek(start)
        if first == b"[":
            yield from _stream(handle, path, array=True)
            return
        if first != b"{":
            raise NotOcdsError(
                f"{path} is not JSON (it starts with {first.decode('latin-1')!r}): give an OCDS release "
                "package, record package or JSON Lines file."
            )
        line = handle.readline(MAX_LINE_BYTES)
        one_line_value = line.endswith(b"\n") or len(line) < MAX_LINE_BYTES
        if one_line_value and _parses(line):
            handle.seek(start)
            yield from _json_lines(handle, path)
        else:
            handle.seek(start)
            yield from _stream(handle, path, array=False)


def _skip_to_content(handle: BinaryIO, path: Path) -> int:
    """The offset of the first non-blank byte, after any UTF-8 byte order mark."""
    head = handle.read(4)
    if any(head.startswith(bom) for bom in UTF16_32_BOMS) or (len(head) > 1 and b"\x00" in head[:2]):
        raise NotOcdsError(f"{path} is UTF-16 or UTF-32 text: save it as UTF-8 and try again.")
    offset = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    handle.seek(offset)
    while True:
        byte = handle.read(1)
        if not byte:
            raise NotOcdsError(
                f"{path} is empty: give an OCDS release package, record package or JSON Lines."
            )
        if byte not in b" \t\r\n":
            return offset
        offset += 1


def _parses(line: bytes) -> bool:
    try:
        _loads(line)
    except ValueError:
        return False
    return True


def _loads(raw: bytes) -> Any:
    """One JSON value, read by orjson as `json.loads` would read it. What orjson reads otherwise or
    refuses (NaN, a lone surrogate, bad JSON) is read by `json.loads` itself, so values and error
    messages are always the ones `json.loads` gives."""
    try:
        value = orjson.loads(raw)
        # orjson reads an integer past 64 bits as a float, where `json.loads` keeps it exact; such a
        # float is at least 1e16, which orjson writes with an exponent ("9.2e+18").
        if b"e+" not in orjson.dumps(value):
            return value
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return json.loads(raw, parse_float=finite_or_text)


def finite_or_text(text: str) -> float | str:
    """A JSON number as a float, or as the text written when no float holds it: Find a Tender writes
    `1e9999` for "no limit", and infinity is a value no JSON encoder writes back."""
    number = float(text)
    return number if math.isfinite(number) else text


def _json_lines(handle: BinaryIO, path: Path) -> Iterator[ReleaseItem]:
    seen_ocds = False
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        position = f"line {number}"
        try:
            value = _loads(raw)
        except UnicodeDecodeError as error:
            raise NotOcdsError(f"{path} line {number} is not UTF-8 text: save the file as UTF-8.") from error
        except ValueError as error:
            yield ReleaseItem(position, None, f"{position} is not valid JSON ({_first_line(error)})")
            continue
        if not seen_ocds:
            if not _looks_like_ocds(value):
                raise NotOcdsError(
                    f"{path} line {number} holds neither an OCDS release nor a package with "
                    "'releases' or 'records': give an OCDS file."
                )
            seen_ocds = True
        yield from _value_items(value, position)


def _looks_like_ocds(value: Any) -> bool:
    return isinstance(value, dict) and bool(RELEASE_KEYS.intersection(value) or _package_key(value))


def _package_key(value: dict) -> str | None:
    return next((key for key in PACKAGE_KEYS if isinstance(value.get(key), list)), None)


def _value_items(value: Any, position: str) -> Iterator[ReleaseItem]:
    """A line's or an array element's releases: the value itself, or a package's contents."""
    if isinstance(value, dict) and _package_key(value) == "releases":
        for number, release in enumerate(value["releases"], start=1):
            yield release_item(release, f"{position}, release {number}")
    elif isinstance(value, dict) and _package_key(value) == "records":
        for number, record in enumerate(value["records"], start=1):
            yield from record_items(record, f"{position}, record {number}")
    else:
        yield release_item(value, position)


def release_item(value: Any, position: str) -> ReleaseItem:
    if not isinstance(value, dict):
        return ReleaseItem(position, None, f"{position} is not a JSON object (it is {_kind(value)})")
    ocid = value.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        return ReleaseItem(position, None, f"{position} has no 'ocid'")
    return ReleaseItem(position, value, None)


def record_items(record: Any, position: str) -> Iterator[ReleaseItem]:
    """A record's embedded releases; where it only links to them, its compiled release."""
    if not isinstance(record, dict):
        yield ReleaseItem(position, None, f"{position} is not a JSON object (it is {_kind(record)})")
        return
    releases = record.get("releases")
    if not isinstance(releases, list):
        releases = []
    linked = [release for release in releases if _is_linked(release)]
    for number, release in enumerate(releases, start=1):
        if not _is_linked(release):
            yield release_item(release, f"{position}, release {number}")
    if linked or not releases:
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict):
            yield release_item(compiled, f"{position}, compiled release")
        else:
            yield ReleaseItem(
                position,
                None,
                f"{position} holds no release data (only links to releases, no compiledRelease)",
            )


def _is_linked(release: Any) -> bool:
    """A linked release in a record package: a url, date and tag, but none of the release itself."""
    return isinstance(release, dict) and "url" in release and "ocid" not in release


def _stream(handle: BinaryIO, path: Path, *, array: bool) -> Iterator[ReleaseItem]:
    counter = 0
    try:
        for kind, value in _top_level_parts(ijson.parse(handle, multiple_values=True), array=array):
            if kind == "release":
                counter += 1
                yield release_item(value, f"release {counter}")
            elif kind == "record":
                counter += 1
                yield from record_items(value, f"record {counter}")
            elif kind == "element":
                counter += 1
                if counter == 1 and not _looks_like_ocds(value):
                    raise NotOcdsError(
                        f"{path} is a JSON array whose first element is not an OCDS release: "
                        "give an OCDS release package, record package or JSON Lines file."
                    )
                yield from _value_items(value, f"release {counter}")
            elif kind == "other":
                if not isinstance(value, dict) or "ocid" not in value:
                    raise NotOcdsError(
                        f"{path} is JSON but holds no 'releases' or 'records': give an OCDS release package, "
                        "record package or JSON Lines file."
                    )
                counter += 1
                yield release_item(value, f"release {counter}")
    except (ijson.JSONError, UnicodeDecodeError) as error:
        where = f" after {counter:,} releases" if counter else ""
        if isinstance(error, UnicodeDecodeError) or "invalid bytes in UTF8" in _first_line(error):
            raise NotOcdsError(f"{path} is not UTF-8 text{where}: save it as UTF-8 and try again.") from error
        raise NotOcdsError(f"{path} is not valid JSON{where} ({_first_line(error)}).") from error


def _top_level_parts(events: Iterable[tuple[str, str, Any]], *, array: bool) -> Iterator[tuple[str, Any]]:
    """("release" | "record" | "element" | "other", value) for each part of each top-level value.

    Releases and records are built one at a time; a package's other members (uri, publisher...)
    are built into one small object and given as "other" only when the value held no releases or
    records, which is how a release written as the whole file or as a long JSON line is read."""
    item_prefixes = {"item": "element"} if array else {"releases.item": "release", "records.item": "record"}
    builder: ijson.ObjectBuilder | None = None
    building = ""
    depth = 0
    rest = ijson.ObjectBuilder()
    packaged = False
    for prefix, event, value in events:
        if builder is None and prefix in item_prefixes:
            building = item_prefixes[prefix]
            if event in ("start_map", "start_array"):
                builder, depth = ijson.ObjectBuilder(), 0
            else:
                yield building, value
                continue
        if builder is not None:
            builder.event(event, value)
            depth += event in ("start_map", "start_array")
            depth -= event in ("end_map", "end_array")
            if depth == 0:
                yield building, builder.value
                builder = None
            continue
        if prefix == "" and event == "map_key" and value in PACKAGE_KEYS:
            packaged = True
            continue
        if prefix.split(".", 1)[0] in PACKAGE_KEYS and (prefix != "" and not array):
            continue
        if array and prefix.startswith("item"):
            continue
        rest.event(event, value)
        if prefix == "" and event in ("end_map", "end_array", "string", "number", "boolean", "null"):
            if not packaged and not array:
                yield "other", rest.value
            rest, packaged = ijson.ObjectBuilder(), False


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
        type(value), "a number"
    )


def _first_line(error: Exception) -> str:
    message = error.args[0] if error.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return (str(message).strip().splitlines() or [type(error).__name__])[0]


# --- the text of a notice ------------------------------------------------------------------------

TEXT_KEYS = (
    "title",
    "description",
    "lots",
    "items",
    "buyer",
    "buyer_type",
    "cpv_codes",
    "cpv_descriptions",
    "notice_type",
)


def release_text(release: dict) -> dict[str, str]:
    """The fields a person reads to judge a notice, as plain strings ("" where missing).

    `cpv_codes` are 8-digit codes without check digits, space-separated; `notice_type` joins the UK
    notice types (UK1-UK17) and document types from `tender.documents`, then the release tags."""
    tender = _dict(release.get("tender"))
    lots = [_dict(lot) for lot in _list(tender.get("lots"))]
    items = [_dict(item) for item in _list(tender.get("items"))]
    classifications = [_dict(tender.get("classification"))]
    for item in items:
        classifications.append(_dict(item.get("classification")))
        classifications.extend(_dict(extra) for extra in _list(item.get("additionalClassifications")))
    cpv = [entry for entry in classifications if _is_cpv(entry)]
    buyer = _buyer(release)
    return {
        "title": _str(tender.get("title")) or _str(release.get("title")),
        "description": _str(tender.get("description")) or _str(release.get("description")),
        "lots": _join(
            part for lot in lots for part in (_str(lot.get("title")), _str(lot.get("description")))
        ),
        "items": _join(_str(item.get("description")) for item in items),
        "buyer": _str(buyer.get("name")),
        "buyer_type": _join(
            " ".join(filter(None, (_str(entry.get("id")), _str(entry.get("description")))))
            for entry in (_dict(x) for x in _list(_dict(buyer.get("details")).get("classifications")))
        ),
        "cpv_codes": " ".join(dict.fromkeys(code for code in (_cpv_code(entry) for entry in cpv) if code)),
        "cpv_descriptions": _join(_str(entry.get("description")) for entry in cpv),
        "notice_type": " ".join(dict.fromkeys(_notice_types(release, tender))),
    }


def _buyer(release: dict) -> dict:
    """The buyer's party (which holds its classifications), else the release's `buyer` reference."""
    reference = _dict(release.get("buyer"))
    parties = [_dict(party) for party in _list(release.get("parties"))]
    for party in parties:
        if reference.get("id") is not None and party.get("id") == reference.get("id"):
            return {**party, "name": party.get("name") or reference.get("name")}
    for party in parties:
        if "buyer" in _list(party.get("roles")):
            return party
    return reference


def _notice_types(release: dict, tender: dict) -> Iterator[str]:
    for document in (_dict(d) for d in _list(tender.get("documents"))):
        if _str(document.get("noticeType")):
            yield _str(document.get("noticeType"))
        # Only notice documents say what stage a notice is; the rest are tender papers.
        if "notice" in _str(document.get("documentType")).lower():
            yield _str(document.get("documentType"))
    for tag in _list(release.get("tag")):
        if isinstance(tag, str) and tag.strip():
            yield tag.strip()


def _is_cpv(entry: dict) -> bool:
    scheme = _str(entry.get("scheme")).upper()
    return scheme == "CPV" or (not scheme and _cpv_code(entry) != "")


def _cpv_code(entry: dict) -> str:
    code = _str(entry.get("id")).split("-", 1)[0].strip()
    return code if len(code) == 8 and code.isdigit() else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _join(parts: Iterable[str]) -> str:
    return " . ".join(dict.fromkeys(part for part in parts if part))
