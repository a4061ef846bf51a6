"""Score and analyse whole CSV files: the work behind `culturehub outcomes score|analyse`.

The columns are a contract other tools rely on (docs/decisions/0007-outcome-measurement.md). A file that
cannot be read at all raises OutcomesInputError with one clear line; a row that cannot be scored gets
valid=false and its reason, and the run goes on.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from culturehub.outcomes.instruments import SCORE, SEPARATE, Instrument, get_instrument, meaningful_change
from culturehub.outcomes.scoring import Score, format_number, score_response
from culturehub.outcomes.statistics import DEFAULT_MIN_N, pair_by_participant, paired_change

ID_COLUMNS = ("participant_id", "timepoint")
ANALYSIS_KEYS = (
    "instrument",
    "measure",
    "n_participants",
    "n_paired",
    "mean_pre",
    "mean_post",
    "mean_change",
    "ci95_low",
    "ci95_high",
    "t_p_value",
    "wilcoxon_p_value",
    "effect_size_dz",
    "meaningful_change_threshold",
    "n_improved",
    "n_declined",
    "pct_improved",
    "suppressed",
    "warnings",
)


class OutcomesInputError(Exception):
    """The input file cannot be used at all; the message says what to do."""


@dataclass
class ScoreSummary:
    rows: int = 0
    valid: int = 0


def output_columns(instrument: Instrument) -> tuple[str, ...]:
    if instrument.kind == SEPARATE:
        measures = tuple(column for key in instrument.measure_keys for column in (key, f"{key}_band"))
        return (*ID_COLUMNS, "valid", *measures, "error")
    return (*ID_COLUMNS, "valid", "raw", "score", "band", "error")


def _read_rows(
    path: Path, required: tuple[str, ...], *, alternatives: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict]]:
    """(line, row) for each data row after checking the file: UTF-8, a header naming `required` (or,
    failing that, `alternatives`), at least one row. Header names are matched trimmed and in lower case."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise OutcomesInputError(f"cannot open {path}: {error.strerror or error}.") from error
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise OutcomesInputError(f"{path} is empty: give a CSV file with a header row and data rows.")
            reader.fieldnames = [name.strip().lower() for name in header]
            missing = [column for column in required if column not in reader.fieldnames]
            if missing and alternatives and all(column in reader.fieldnames for column in alternatives):
                missing = []
            if missing:
                instead = f", or {', '.join(alternatives)}" if alternatives else ""
                raise OutcomesInputError(
                    f"{path} has no column {', '.join(missing)} (it has {', '.join(reader.fieldnames)}): "
                    f"give the columns {', '.join(required)}{instead}."
                )
            found = False
            for row in reader:
                found = True
                yield reader.line_num, row
            if not found:
                raise OutcomesInputError(f"{path} has a header but no rows.")
        except UnicodeDecodeError as error:
            raise OutcomesInputError(
                f"{path} is not UTF-8 text (byte {error.start} cannot be read): "
                "save it as 'CSV UTF-8' and try again."
            ) from error
        except csv.Error as error:
            raise OutcomesInputError(f"{path} is not a readable CSV file: {error}.") from error


def _row_problem(line: int, row: dict) -> str:
    if None in row or any(value is None for value in row.values()):
        return f"line {line} has a different number of fields from the header"
    for column in ID_COLUMNS:
        if not row[column].strip():
            return f"line {line} has no {column}"
    return ""


def _score_row(instrument: Instrument, line: int, row: dict) -> tuple[Score | None, str]:
    problem = _row_problem(line, row)
    if problem:
        return None, problem
    score = score_response(instrument, {item: row.get(item) for item in instrument.items})
    return score, (f"line {line}: {score.error}" if score.error else "")


def _output_row(instrument: Instrument, row: dict, score: Score | None, error: str) -> dict[str, str]:
    result = {
        "participant_id": (row.get("participant_id") or "").strip(),
        "timepoint": (row.get("timepoint") or "").strip(),
        "valid": "true" if score is not None and score.valid else "false",
        "error": error,
    }
    if instrument.kind == SEPARATE:
        for key in instrument.measure_keys:
            measure = score.measures.get(key) if score else None
            result[key] = format_number(measure.value if measure else None)
            result[f"{key}_band"] = measure.band if measure else ""
    else:
        valid = score is not None and score.valid
        result["raw"] = str(score.raw) if valid else ""
        result["score"] = format_number(score.score, instrument.score_decimals) if valid else ""
        result["band"] = score.band if valid else ""
    return result


def score_csv(input_path: Path, output_path: Path, *, instrument: str) -> ScoreSummary:
    """Write one output row per input row, in the contract's columns."""
    chosen = get_instrument(instrument)
    rows = _read_rows(input_path, (*ID_COLUMNS, *chosen.items))
    first = next(rows)  # reads and checks the header before the output file is created
    summary = ScoreSummary()
    with output_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=output_columns(chosen))
        writer.writeheader()
        for line, row in itertools.chain([first], rows):
            score, error = _score_row(chosen, line, row)
            writer.writerow(_output_row(chosen, row, score, error))
            summary.rows += 1
            summary.valid += bool(score and score.valid)
    return summary


def _score_from_column(instrument: Instrument, row: dict) -> float | None:
    """A score already worked out (a file written by `outcomes score`): used only if it is in range."""
    if (row.get("valid") or "true").strip().lower() == "false":
        return None
    text = (row.get(SCORE) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    measure = instrument.measure(SCORE)
    return value if measure.minimum <= value <= measure.maximum else None


def _measure_value(instrument: Instrument, measure: str, row: dict, use_items: bool) -> float | None:
    if not use_items:
        return _score_from_column(instrument, row)
    if instrument.kind == SEPARATE:
        return score_response(instrument, {measure: row[measure]}).value(measure)
    return score_response(instrument, row).value(SCORE)


def _measure_records(instrument: Instrument, measure: str, input_path: Path):
    """(participant, timepoint, value or None) for each row, how many rows had no usable value, and
    whether the values were scored from item columns."""
    items = (measure,) if instrument.kind == SEPARATE else instrument.items
    alternatives = () if instrument.kind == SEPARATE else (*ID_COLUMNS, SCORE)
    rows = list(_read_rows(input_path, (*ID_COLUMNS, *items), alternatives=alternatives))
    use_items = all(item in rows[0][1] for item in items)
    records, unusable = [], 0
    for line, row in rows:
        value = None if _row_problem(line, row) else _measure_value(instrument, measure, row, use_items)
        if value is None:
            unusable += 1
            continue
        records.append((row["participant_id"].strip(), row["timepoint"].strip(), value))
    return records, unusable, use_items


def analyse_csv(
    input_path: Path,
    *,
    instrument: str,
    baseline: str = "pre",
    followup: str = "post",
    measure: str | None = None,
    min_n: int = DEFAULT_MIN_N,
    threshold: float | None = None,
) -> dict:
    """Paired change from `baseline` to `followup` for one measure, as the contract's JSON object.
    The file holds item columns (scored here) or, for a summed scale, a `score` column instead."""
    chosen = get_instrument(instrument)
    measure = measure or chosen.measure_keys[0]
    try:
        measured = chosen.measure(measure)
    except KeyError as error:
        raise OutcomesInputError(str(error.args[0])) from error
    if min_n < 1:
        raise OutcomesInputError("--min-n must be 1 or more.")
    if threshold is not None and threshold <= 0:
        raise OutcomesInputError("--threshold must be more than zero.")
    records, unusable, used_items = _measure_records(chosen, measure, input_path)
    pairing = pair_by_participant(records, baseline=baseline, followup=followup)
    change = paired_change(
        pairing.pre,
        pairing.post,
        threshold=threshold if threshold is not None else meaningful_change(chosen, measure),
        higher_is_better=measured.higher_is_better,
        min_n=min_n,
    )
    notes = []
    if unusable:
        how = "`culturehub outcomes score` shows why" if used_items else "blank, invalid or out of range"
        notes.append(f"{unusable} row(s) have no usable {measure} and are left out ({how})")
    figures = change.as_dict()
    result = {
        "instrument": chosen.key,
        "measure": measure,
        "n_participants": pairing.n_participants,
        **{key: figures[key] for key in ANALYSIS_KEYS if key in figures},
    }
    result["warnings"] = [*notes, *pairing.warnings, *change.warnings]
    return {key: result[key] for key in ANALYSIS_KEYS}
