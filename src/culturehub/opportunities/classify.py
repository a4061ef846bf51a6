"""`culturehub classify notices`: judge every release in OCDS files and write one output row for each.

The output columns are a contract other tools rely on: `ocid,release_id,relevance,themes,score,reasons`.
A file that is not OCDS raises `NotOcdsError` with one clear line and no output is left behind; a release
that cannot be read gets its reason in its own row (relevance `none`, reasons `not classified: ...`) and
the run goes on.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from culturehub.opportunities.ocds import ReleaseItem, read_releases
from culturehub.opportunities.relevance import NONE, Judgement, judge_release

OUTPUT_COLUMNS = ("ocid", "release_id", "relevance", "themes", "score", "reasons")
PROGRESS_EVERY = 1000
MAX_REASONS_LENGTH = 300


@dataclass
class NoticeSummary:
    releases: int = 0
    direct: int = 0
    adjacent: int = 0
    bad_releases: int = 0


def output_row(release: dict, judgement: Judgement) -> dict[str, str]:
    reasons = "; ".join(judgement.reasons) or "-"
    return {
        "ocid": str(release.get("ocid", "")),
        "release_id": _text(release.get("id")),
        "relevance": judgement.relevance,
        "themes": ";".join(judgement.themes),
        "score": f"{judgement.score:.3f}",
        "reasons": reasons if len(reasons) <= MAX_REASONS_LENGTH else reasons[: MAX_REASONS_LENGTH - 1] + "…",
    }


def bad_output_row(source: Path, item: ReleaseItem) -> dict[str, str]:
    return {
        "ocid": "",
        "release_id": "",
        "relevance": NONE,
        "themes": "",
        "score": "",
        "reasons": f"not classified: {source.name} {item.error}",
    }


def _text(value) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value)


def classify_notices(
    inputs: Iterable[Path],
    output_path: Path,
    *,
    progress: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> NoticeSummary:
    """Write the judgement of every release in the input files, in order, to `output_path`.

    Rows go to a temporary file renamed into place at the end, so a file found not to be OCDS half way
    through leaves no partial output to be mistaken for a result."""
    summary = NoticeSummary()
    partial = output_path.with_name(output_path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
            writer.writeheader()
            for source in inputs:
                for item in read_releases(source):
                    if item.release is None:
                        writer.writerow(bad_output_row(source, item))
                        summary.bad_releases += 1
                    else:
                        row = output_row(item.release, judge_release(item.release))
                        writer.writerow(row)
                        summary.direct += row["relevance"] == "direct"
                        summary.adjacent += row["relevance"] == "adjacent"
                    summary.releases += 1
                    if summary.releases % PROGRESS_EVERY == 0:
                        progress(f"classified {summary.releases:,} releases")
        os.replace(partial, output_path)
    finally:
        partial.unlink(missing_ok=True)
    return summary
