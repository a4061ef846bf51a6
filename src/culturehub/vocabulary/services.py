"""Loading the versioned taxonomy files into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from culturehub.vocabulary.models import THEME_KEYS, Scheme, Term

TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomy"
SCHEME_ORDER = ("themes", "art_forms", "populations", "settings", "outcomes")
TERM_FIELDS = ("label", "description", "synonyms", "commissioner_terms", "notes", "position")


class TaxonomyError(Exception):
    """A taxonomy file that cannot be loaded; the message names the file and the term."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.retired)


def _read_scheme_file(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path.name} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("terms"), list):
        raise TaxonomyError(f"{path.name} must have a 'scheme' key and a list of 'terms'.")
    keys = [term.get("key") for term in document["terms"]]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise TaxonomyError(f"{path.name} repeats the term key(s) {', '.join(duplicates)}.")
    for position, term in enumerate(document["terms"], start=1):
        if not term.get("key") or not term.get("label"):
            raise TaxonomyError(f"{path.name}: term {position} needs both a key and a label.")
    return document


def _check_themes(document: dict) -> None:
    keys = tuple(term["key"] for term in document["terms"])
    if keys != THEME_KEYS:
        raise TaxonomyError(
            f"themes.yaml must list exactly the seven priority themes in order: {', '.join(THEME_KEYS)}."
        )


def _upsert_term(scheme: Scheme, position: int, entry: dict, report: LoadReport) -> Term:
    values = {
        "label": entry["label"],
        "description": entry.get("description", ""),
        "synonyms": list(entry.get("synonyms") or []),
        "commissioner_terms": list(entry.get("commissioner_terms") or []),
        "notes": entry.get("notes", "") or "",
        "position": position,
    }
    term = Term.objects.filter(scheme=scheme, key=entry["key"]).first()
    if term is None:
        report.created += 1
        return Term.objects.create(scheme=scheme, key=entry["key"], **values)
    if term.retired or any(getattr(term, name) != values[name] for name in TERM_FIELDS):
        for name, value in values.items():
            setattr(term, name, value)
        term.retired = False
        term.save()
        report.updated += 1
    else:
        report.unchanged += 1
    return term


def _link_parents_and_themes(scheme: Scheme, entries: list[dict]) -> None:
    terms = {term.key: term for term in scheme.terms.all()}
    themes = {term.key: term for term in Term.objects.themes()}
    for entry in entries:
        term = terms[entry["key"]]
        parent = terms.get(entry["parent"]) if entry.get("parent") else None
        if entry.get("parent") and parent is None:
            raise TaxonomyError(
                f"{scheme.key}.yaml: '{entry['key']}' names an unknown parent '{entry['parent']}'."
            )
        if term.parent_id != (parent.pk if parent else None):
            term.parent = parent
            term.save(update_fields=["parent"])
        wanted = entry.get("themes") or []
        unknown = [key for key in wanted if key not in themes]
        if unknown:
            raise TaxonomyError(
                f"{scheme.key}.yaml: '{entry['key']}' names unknown theme(s) {', '.join(unknown)}."
            )
        if set(term.themes.values_list("key", flat=True)) != set(wanted):
            term.themes.set([themes[key] for key in wanted])


@transaction.atomic
def vocabulary_load(*, directory: Path = TAXONOMY_DIR) -> LoadReport:
    """Load every scheme file; idempotent; terms removed from a file are retired, not deleted."""
    report = LoadReport()
    for position, scheme_key in enumerate(SCHEME_ORDER, start=1):
        path = directory / f"{scheme_key}.yaml"
        if not path.exists():
            raise TaxonomyError(f"The taxonomy file {path} is missing.")
        document = _read_scheme_file(path)
        if scheme_key == "themes":
            _check_themes(document)
        scheme, _ = Scheme.objects.update_or_create(
            key=scheme_key,
            defaults={
                "label": document.get("label", scheme_key),
                "description": document.get("description", ""),
                "version": str(document.get("version", "")),
                "position": position,
            },
        )
        keys = []
        for term_position, entry in enumerate(document["terms"], start=1):
            _upsert_term(scheme, term_position, entry, report)
            keys.append(entry["key"])
        report.retired += scheme.terms.filter(retired=False).exclude(key__in=keys).update(retired=True)
        _link_parents_and_themes(scheme, document["terms"])
        report.messages.append(f"{scheme.label} (version {scheme.version}): {len(keys)} terms")
    return report
