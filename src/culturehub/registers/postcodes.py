"""Placing a charity by its postcode district, when its register names no local authority.

Culture Hub holds no postcode directory. `data/postcode_districts.csv` is a small table derived from
the Mapping Museums addresses (which give each museum's postcode and its council): a postcode
district is listed only when at least two museums lie in it and every one in the same council. A
district can still cross a council boundary where no museum stands, so an area found this way is
labelled as such on the listing ("from the postcode district"), never presented as the register's
own statement.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from culturehub.registers.matching import postcode_district

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"
BASIS = "postcode district (from museum addresses in it); may be a neighbouring council"


@cache
def _districts() -> dict[str, str]:
    if not DISTRICTS_FILE.is_file():
        return {}
    with DISTRICTS_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["postcode_district"]: row["area_code"] for row in csv.DictReader(handle)}


def area_code_for_postcode(postcode: str) -> str:
    """The ONS code of the council the postcode's district lies in, or "" when we cannot tell."""
    return _districts().get(postcode_district(postcode), "")
