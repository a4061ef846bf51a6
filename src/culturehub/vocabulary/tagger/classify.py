"""`culturehub classify organisations`: tag every row of a CSV file and write one output row for each.

The output columns are a contract other tools rely on: `id,cultural,art_forms,themes,populations,
score,reasons`. A file that cannot be read at all raises `ClassifyInputError` with one clear line;
a row that cannot be read gets its reason in its own output row and the run goes on.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from culturehub.vocabulary.tagger.engine import Tagging, tag_text

OUTPUT_COLUMNS = ("id", "cultural", "art_forms", "themes", "populations", "score", "reasons")
DEFAULT_ID_COLUMN = "org_id"
DEFAULT_TEXT_COLUMNS = ("name", "activities", "objects")
PROGRESS_EVERY = 1000
MAX_REASONS_LENGTH = 300


class ClassifyInputError(Exception):
    """The input file cannot be classified at all; the message says what to do."""


@dataclass
class ClassifySummary:
    rows: int = 0
    cultural: int = 0
    bad_rows: int = 0


def _reasons(tagging: Tagging) -> str:
    parts = [
        f"{'cultural' if tagging.cultural else 'not cultural'}: {', '.join(tagging.cultural_reasons) or '-'}"
    ]
    for scheme in ("art_forms", "themes", "populations"):
        labels = getattr(tagging, scheme)
        if labels:
            described = "; ".join(f"{label.key} ({', '.join(label.reasons[:2])})" for label in labels)
            parts.append(f"{scheme.replace('_', ' ')}: {described}")
    text = " | ".join(parts)
    return text if len(text) <= MAX_REASONS_LENGTH else text[: MAX_REASONS_LENGTH - 1] + "…"


def output_row(row_id: str, tagging: Tagging) -> dict[str, str]:
    return {
        "id": row_id,
        "cultural": "true" if tagging.cultural else "false",
        "art_forms": ";".join(tagging.keys("art_forms")),
        "themes": ";".join(tagging.keys("themes")),
        "populations": ";".join(tagging.keys("populations")),
        "score": f"{tagging.cultural_score:.3f}",
        "reasons": _reasons(tagging),
    }


def bad_output_row(row_id: str, reason: str) -> dict[str, str]:
    return {
        "id": row_id,
        "cultural": "false",
        "art_forms": "",
        "themes": "",
        "populations": "",
        "score": "",
        "reasons": f"not classified: {reason}",
    }


def _open_rows(path: Path, id_column: str, text_columns: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """(line, row) for each data row, after checking the file can be read and has the columns."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ClassifyInputError(f"cannot open {path}: {error.strerror or error}.") from error
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise ClassifyInputError(f"{path} is empty: give a CSV file with a header row and data rows.")
            missing = [column for column in (id_column, *text_columns) if column not in header]
            if missing:
                raise ClassifyInputError(
                    f"{path} has no column {', '.join(repr(c) for c in missing)} "
                    f"(it has {', '.join(header)}): name the columns with --id-column and --text-columns."
                )
            yield from ((reader.line_num, row) for row in reader)
        except UnicodeDecodeError as error:
            raise ClassifyInputError(
                f"{path} is not UTF-8 text (byte {error.start} cannot be read): "
                "save it as 'CSV UTF-8' and try again."
            ) from error
        except csv.Error as error:
            raise ClassifyInputError(f"{path} is not a readable CSV file: {error}.") from error


def _classify_row(line: int, row: dict, id_column: str, text_columns: tuple[str, ...]) -> dict[str, str]:
    row_id = (row.get(id_column) or "").strip()
    if None in row or any(row.get(column) is None for column in (id_column, *text_columns)):
        return bad_output_row(row_id, f"line {line} has a different number of fields from the header")
    if not row_id:
        return bad_output_row("", f"line {line} has no value in the {id_column!r} column")
    fields = {column: row[column] for column in text_columns}
    if not any(value.strip() for value in fields.values()):
        return bad_output_row(row_id, f"line {line} has no text in {', '.join(text_columns)}")
    return output_row(row_id, tag_text(**fields))


def classify_organisations(
    input_path: Path,
    output_path: Path,
    *,
    id_column: str = DEFAULT_ID_COLUMN,
    text_columns: tuple[str, ...] = DEFAULT_TEXT_COLUMNS,
    progress: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> ClassifySummary:
    rows = _open_rows(input_path, id_column, text_columns)
    summary = ClassifySummary()
    first = next(rows, None)
    if first is None:
        raise ClassifyInputError(f"{input_path} has a header but no rows to classify.")
    with output_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        for line, row in itertools.chain([first], rows):
            result = _classify_row(line, row, id_column, text_columns)
            writer.writerow(result)
            summary.rows += 1
            summary.cultural += result["cultural"] == "true"
            summary.bad_rows += result["reasons"].startswith("not classified")
            if summary.rows % PROGRESS_EVERY == 0:
                progress(f"classified {summary.rows:,} rows")
    return summary
