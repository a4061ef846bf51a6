"""Validate JSON against the Open Referral UK (HSDS 3.0 UK profile) schemas copied into `schema/`.

The profile's `openapi.json` declares JSON Schema Draft 2020-12, so that is the validator used. The
schemas mark ids as `format: uuid`, links as `uri`, dates as `date-time`: formats are checked, not
just noted, because a feed that publishes "n/a" as an id is exactly the fault a consumer needs to see.
jsonschema checks `uuid` and `email` itself; `uri` and `date-time` need optional packages, so the two
small checks below stand in for them.

`strict=True` also refuses any property the profile does not define (the UK profile drops some
HSDS core fields, such as service phones); Culture Hub's own responses are held to that, imported
feeds are not, since an HSDS feed may carry extra core fields that do no harm.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

# What each endpoint answers with, as a file in SCHEMA_DIR: one record ...
RECORD_SCHEMAS = {
    "service": "compiled/service.json",
    "service_at_location": "compiled/service_at_location.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
# ... or a list, whose items sit in the page object's `contents`.
PAGE_ITEM_SCHEMAS = {
    "services": "compiled/service_list.json",
    "service_at_locations": "compiled/service_at_location_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")

format_checker = FormatChecker()


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value


@format_checker.checks("date-time")
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value.upper() and parsed.tzinfo is not None


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _forbid_extra_properties(schema: Any) -> Any:
    """A copy of the schema in which every object with listed properties allows no others."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@cache
def _registry(strict: bool) -> Registry:
    """Every schema file by its name, so relative `$ref`s such as "taxonomy_term.json" resolve."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")) + sorted((SCHEMA_DIR / "compiled").glob("*.json")):
        name = str(path.relative_to(SCHEMA_DIR))
        contents = _load(name)
        if strict:
            contents = _forbid_extra_properties(contents)
        resources.append((name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _page_schema(item_schema: str) -> dict:
    openapi = _load("openapi.json")
    page = openapi["components"]["schemas"]["Page"]
    return {
        "allOf": [page],
        "type": "object",
        "required": [*PAGE_FIELDS, "contents"],
        "properties": {"contents": {"type": "array", "items": {"$ref": item_schema}}},
    }


def validator(kind: str, *, strict: bool = False) -> Draft202012Validator:
    """The validator for a record or page `kind` (see validation_errors)."""
    return _validator(kind, strict)


@cache
def _validator(kind: str, strict: bool) -> Draft202012Validator:
    if kind in PAGE_ITEM_SCHEMAS:
        schema = _page_schema(PAGE_ITEM_SCHEMAS[kind])
    else:
        schema = {"$ref": RECORD_SCHEMAS[kind]}
    return Draft202012Validator(schema, registry=_registry(strict), format_checker=format_checker)


def validation_errors(kind: str, data: Any, *, strict: bool = False) -> list[str]:
    """Every way `data` breaks the schema for `kind`, each as "path: message" (empty when valid).

    `kind` names a record ("service", a key of RECORD_SCHEMAS) or a page of a list ("services", a
    key of PAGE_ITEM_SCHEMAS).
    """
    validator = _validator(kind, strict)
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    return [f"{error_field(error) or '(top level)'}: {error.message}" for error in errors]


def first_error(kind: str, data: Any) -> tuple[str, str] | None:
    """The first way `data` breaks the (lenient) schema for `kind`, as (field path, message)."""
    validator = _validator(kind, False)
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return None
    return error_field(error), error.message


def error_field(error) -> str:
    """A readable path to the field at fault, such as "service_at_locations[0].location.id"."""
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        path = f"{path}.{missing}" if path else missing
    return path
