"""Cut the demo register subsets from the published files. Run by hand; never by the product.

    python make_subsets.py SOURCE_DIR

SOURCE_DIR holds the published files: NPO_2018_12082020_0.xlsx, Project_Grants_Awards_20*.xlsx,
MappingMuseumsData.csv, top2000.csv and ukcat_sample_dev.csv. The subsets keep the rows for the seven
demo places (the districts of Kent and Gloucestershire included), values unchanged, and this script
also writes `registers/data/postcode_districts.csv` (see culturehub.registers.postcodes).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ONS = HERE.parent / "ons"
POSTCODE_TABLE = HERE.parent.parent / "registers" / "data" / "postcode_districts.csv"
DEMO_CODES = {
    "E08000025",
    "E06000015",
    "E08000003",
    "E06000027",
    "E06000014",
}  # and the two counties' districts
COUNTIES = {"E10000016", "E10000013"}
MIN_MUSEUMS = 2


def key(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", (name or "").lower().replace("&", " and ")).strip()
    for tail in (" city of", " county of"):
        text = text.removesuffix(tail)
    return text


def council_codes() -> tuple[dict[str, str], set[str]]:
    """Council names (2016-2024 names included) to today's codes, and the demo places' district codes."""
    names: dict[str, set[str]] = defaultdict(set)
    demo = set(DEMO_CODES)
    with (ONS / "lookup_ltla23_utla23.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["ltla23_code"].startswith("E"):
                names[key(row["ltla23_name"])].add(row["ltla23_code"])
                if row["utla23_code"] in COUNTIES:
                    demo.add(row["ltla23_code"])
    with (ONS / "lookup_ltla_ltla.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["ltla24_code"].startswith("E"):
                for year in ("16", "17", "18", "19", "20", "21", "22", "23"):
                    names[key(row[f"ltla{year}_name"])].add(row["ltla24_code"])
    return {name: next(iter(codes)) for name, codes in names.items() if len(codes) == 1}, demo


def cut_workbook(source: Path, target: Path, header_name: str, column: str, wanted) -> int:
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    out = openpyxl.Workbook()
    sheet = out.active
    kept = 0
    for worksheet in book.worksheets:
        rows = worksheet.iter_rows(values_only=True)
        before = []
        for cells in rows:
            header = [" ".join(str(cell).split()) if cell is not None else "" for cell in cells]
            before.append(cells)
            if header_name in header:
                sheet.title = worksheet.title[:31]
                for row in before:
                    sheet.append(list(row))
                index = header.index(column)
                for data in rows:
                    if data[index] and wanted(str(data[index])):
                        sheet.append(list(data))
                        kept += 1
                out.save(target)
                return kept
            if len(before) > 20:
                break
    raise SystemExit(f"{source}: no header with {header_name}")


def main(source_dir: str) -> None:
    source = Path(source_dir)
    codes, demo = council_codes()
    in_demo = lambda name: codes.get(key(name)) in demo  # noqa: E731

    print(
        "NPO",
        cut_workbook(
            source / "NPO_2018_12082020_0.xlsx",
            HERE / "ace_npo_2018_22.xlsx",
            "Applicant Name",
            "Local Authority",
            in_demo,
        ),
    )
    for path in sorted(source.glob("Project_Grants_Awards_20*.xlsx")):
        year = re.search(r"(\d{6})", path.name).group(1)
        print(
            path.name,
            cut_workbook(
                path, HERE / f"ace_project_grants_{year}.xlsx", "Recipient", "Local authority", in_demo
            ),
        )

    districts: dict[str, list[str]] = defaultdict(list)
    with (source / "MappingMuseumsData.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        museums = [row for row in reader if row["admin_area_1"] == "England"]
        fields = reader.fieldnames
    kept = []
    for row in museums:
        code = codes.get(key(row["admin_area_4"])) or codes.get(key(row["admin_area_3"]))
        outward = row["postcode"].strip().upper().split()
        if code and len(outward) == 2:
            districts[outward[0]].append(code)
        if code in demo:
            kept.append(row)
    with (HERE / "mapping_museums.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    print("museums", len(kept))

    # A district counts only when at least two museums lie in it and all in one council: one museum
    # near a boundary says little about where the rest of the district is.
    single = {
        district: found[0]
        for district, found in districts.items()
        if len(set(found)) == 1 and len(found) >= MIN_MUSEUMS
    }
    POSTCODE_TABLE.parent.mkdir(exist_ok=True)
    with POSTCODE_TABLE.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode_district", "area_code", "museums"])
        writer.writerows(
            (district, code, len(districts[district])) for district, code in sorted(single.items())
        )
    print("postcode districts", len(single), "of", len(districts))

    seen, charities, header = set(), [], None
    for name in ("top2000.csv", "ukcat_sample_dev.csv"):
        with (source / name).open(encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = header or reader.fieldnames
            for row in reader:
                outward = row["postcode"].strip().upper().split()
                if (
                    row["org_id"].startswith("GB-CHC-")
                    and len(outward) == 2
                    and single.get(outward[0]) in demo
                    and row["org_id"] not in seen
                ):
                    seen.add(row["org_id"])
                    charities.append(row)
    with (HERE / "charities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(charities)
    print("charities", len(charities))


if __name__ == "__main__":
    main(sys.argv[1])
