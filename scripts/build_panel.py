"""Build the bundled data panel (heartland/data/panel/) from published dataset files.

    python scripts/build_panel.py [--mirror DIR] [--out DIR]

Each source is a file in a public GitHub repository. The script takes it from a local
mirror of the repository (``DIR/<owner>+<name>/repo``, a bare git directory: the
``fetch`` tool's layout; the commit used is the mirror's HEAD, recorded) or from a
file given with ``--file SOURCE_ID=PATH`` (then the commit recorded is the one named in
SOURCES, and the file's sha256 must match the one in the current manifest). Every file is read by the
project's importers (heartland.world.importers); the rows kept are those of the five
states with the six patrons (and the world) for 2010–2024. Output: ``panel.csv`` and
``manifest.json`` (per source: publisher, repository, commit, path, sha256, licence,
credit line; the panel file's sha256). Rerunning on the same files gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.axes import PATRONS, TARGETS
from heartland.world.importers import read_file
from heartland.world.importers.sipri import register_panel
from heartland.world.panel import COLUMNS, FIRST_YEAR, LAST_YEAR, PANEL_DIR, sha256

IMF = {
    "publisher": "International Monetary Fund",
    "licence": "IMF data: free reuse with attribution (IMF Copyright and Usage); repository code MIT",
    "credit": "Source: International Monetary Fund, Direction of Trade Statistics (DOTS)",
    "repository": "SamLeBlanc/Direction-of-Trade-Map", "importer": "imf-dots",
}
#: IMF country codes of the reporters' workbooks: the five states, China and Russia.
DOTS_REPORTERS = {"KAZ": 103, "KGZ": 109, "TJK": 192, "TKM": 201, "UZB": 210, "CHN": 40, "RUS": 162}
SOURCES = [
    *[{**IMF, "id": f"imf-dots-{iso.lower()}", "path": f"data/DOTS/DOTS_{n}.xlsx",
       "description": f"IMF DOTS workbook of reporter {iso}: exports FOB and imports CIF by partner, "
                      "USD millions, 1992-2020"} for iso, n in DOTS_REPORTERS.items()],
    {"id": "sipri-register", "publisher": "Stockholm International Peace Research Institute (SIPRI)",
     "repository": "ColasDroin/SIPRI_arms_transfers_analysis", "path": "trade-register.csv",
     "importer": "sipri-register",
     "licence": "SIPRI terms of use: non-commercial use with a credit line; the repository states no licence",
     "credit": "Source: SIPRI Arms Transfers Database, trade register generated 13 March 2025",
     "description": "SIPRI trade register, all suppliers and recipients, deliveries to 2024"},
    {"id": "wdi-remittances", "publisher": "World Bank",
     "repository": "Fozich/remittances-central-asia", "path": "data/panel.csv", "importer": "worldbank-panel",
     "licence": "World Bank WDI: CC BY 4.0; the repository states no licence",
     "credit": "Source: World Bank, World Development Indicators, Personal remittances received "
               "(% of GDP), BX.TRF.PWKR.DT.GD.ZS",
     "description": "WDI remittances received as % of GDP for KGZ, TJK, UZB (country-year table)"},
    {"id": "wdi-remittances-2023", "publisher": "World Bank",
     "repository": "kietnguyen01/Remittance-Fees-Analysis",
     "path": "data/remittance/remittances-received-percent-gdp.xls", "importer": "worldbank",
     # Only the two states the table above lacks: KGZ, TJK and UZB stay on one vintage each
     # (that table's, which reaches 2024), so no state's series mixes two WDI releases.
     "targets": ["KAZ", "TKM"],
     "licence": "World Bank WDI: CC BY 4.0; the repository states no licence",
     "credit": "Source: World Bank, World Development Indicators (last updated 10 May 2023), Personal "
               "remittances received (% of GDP), BX.TRF.PWKR.DT.GD.ZS",
     "description": "the World Bank's all-country download of BX.TRF.PWKR.DT.GD.ZS as an Excel 97 workbook "
                    "(1960-2022, last updated 2023-05-10); the panel takes Kazakhstan (to 2021) and Turkmenistan "
                    "(to 2019, the last year the World Bank gives)"},
    {"id": "undesa-migrant-stock-2019", "publisher": "United Nations, Department of Economic and Social Affairs, "
                                                     "Population Division",
     "repository": "guyabel/stepladderChapter", "path": "archive/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
     "importer": "undesa-stock",
     "licence": "UN DESA data: free reuse with attribution (United Nations terms of use); the repository states no "
                "licence",
     "credit": "Source: United Nations, Department of Economic and Social Affairs, Population Division (2019). "
               "International Migrant Stock 2019 (POP/DB/MIG/Stock/Rev.2019)",
     "description": "migrant stock by destination and origin, 1990-2019 (2010, 2015, 2019 in the panel's years); "
                    "a cleaned wide copy of the UN table"},
    {"id": "undesa-migrant-stock-2020", "publisher": "United Nations, Department of Economic and Social Affairs, "
                                                     "Population Division",
     "repository": "X80110/migration-visualization", "path": "json/stock.json", "importer": "undesa-stock-matrix",
     "years": [2020],
     "licence": "UN DESA data: free reuse with attribution (United Nations terms of use); the repository's pages: "
                "CC BY-NC 3.0",
     "credit": "Source: United Nations, Department of Economic and Social Affairs, Population Division (2020). "
               "International Migrant Stock 2020 (POP/DB/MIG/Stock/Rev.2020)",
     "description": "migrant stock by origin and destination, 1990-2020, as a chord-diagram JSON matrix (the panel "
                    "takes 2020 only: 2010 and 2015 come from the 2019 revision above)"},
    {"id": "undesa-migrant-stock-2024", "publisher": "United Nations, Department of Economic and Social Affairs, "
                                                     "Population Division",
     "repository": "wlad-c/Hana-s-flag-game", "path": "scripts/data/undesa-ims-2024-bilateral-iso2.csv",
     "commit": "e5a0c4d1c106832d8604926a23560ff838429f74",
     "extract": "sources/undesa-ims-2024-central-asia.csv", "importer": "undesa-stock-pairs",
     "licence": "UN DESA data: free reuse with attribution (United Nations terms of use); the repository states no "
                "licence",
     "credit": "Source: United Nations, Department of Economic and Social Affairs, Population Division (2024). "
               "International Migrant Stock 2024",
     "description": "migrant stock at mid-2024 by destination and origin (UN members, ISO alpha-2), extracted from "
                    "the official workbook by the repository's script; the bundled extract holds every row of the "
                    "file whose origin is one of the five, copied unchanged and in the file's order (the repository "
                    "has no snapshot fetchable here: it was read at the commit named through a code index), so "
                    "sha256 is the extract's"},
    *[{"id": f"ei-gas-pipeline-{year}", "publisher": publisher, "repository": repo, "path": path,
       "importer": "ei-gas-pipeline",
       "licence": "Statistical Review data: free reuse with attribution to the Statistical Review of World Energy; "
                  "the repository states no licence",
       "credit": f"Source: {edition}", "description": f"natural gas trade movements by pipeline, {year} (bcm)"}
      for year, publisher, repo, path, edition in (
          (2016, "bp", "kyiwin/oil-price-production", "bp-statistical-review-of-world-energy-2017-underpinning-data.xlsx",
           "bp Statistical Review of World Energy 2017"),
          (2017, "bp", "mattjcan/energy_data", "data/bp-stats-review-2018-all-data.xlsx",
           "bp Statistical Review of World Energy 2018"),
          (2018, "bp", "AlexandreLab/Energy-and-GHG", "bp-stats-review-2019-all-data.xlsx",
           "bp Statistical Review of World Energy 2019"),
          (2019, "bp", "tamiressantosdata/Geothermal-Energy", "bp-stats-review-2020-all-data.xlsx",
           "bp Statistical Review of World Energy 2020"),
          (2020, "bp", "DyingDown/Wind-Energy-Visualization", "bp-stats-review-2021-all-data.xlsx",
           "bp Statistical Review of World Energy 2021"),
          (2022, "Energy Institute", "ryanczm/BP-Statistical-Report", "BP-Statistical-Review-2022-Original.xlsx",
           "Statistical Review of World Energy, edition with 2022 data (bp workbook layout)"),
          (2023, "Energy Institute", "rajaeian-fatemeh/VisualCommunication", "EI-Stats-Review-All-Data.xlsx",
           "Energy Institute Statistical Review of World Energy 2024"))],
]
KEEP = set(PATRONS) | {"WLD"}


def mirror_file(mirror: Path, repo: str, path: str, dest: Path) -> str:
    """Copy ``path`` at the mirror's HEAD to ``dest``; return the commit."""
    git = mirror / repo.replace("/", "+") / "repo"
    if not git.exists():
        raise UserError(f"no mirror of {repo} (fetch github:{repo} first, or pass --file)", path=str(git))
    commit = subprocess.run(["git", "-C", str(git), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    blob = subprocess.run(["git", "-C", str(git), "show", f"{commit}:{path}"], capture_output=True, check=False)
    if blob.returncode != 0:
        raise UserError(f"{path} not in {repo} at {commit[:10]}", path=str(git))
    dest.write_bytes(blob.stdout)
    return commit


def scoped(df: pd.DataFrame) -> pd.DataFrame:
    """The model's scope: the five states with the six patrons (and the world), 2010-2024."""
    if df.empty:
        return df
    d = df[df["year"].between(FIRST_YEAR, LAST_YEAR)]
    dyadic = d["partner"].isin(TARGETS) & d["actor"].isin(KEEP)
    monadic = d["partner"].isna() & d["actor"].isin(TARGETS)
    # A state's own figure (remittances as a share of its GDP) is a figure of (WLD, state),
    # like its total trade.
    d = d.assign(partner=d["partner"].where(~monadic, d["actor"]), actor=d["actor"].where(~monadic, "WLD"))
    return d[dyadic | monadic]


def build(mirror: Path, out: Path, files: dict[str, Path]) -> dict:
    old = {}
    if (out / "manifest.json").exists():
        old = {s["id"]: s for s in json.loads((out / "manifest.json").read_text()).get("sources", [])}
    parts, manifest_sources = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in SOURCES:
            local = Path(tmp) / Path(spec.get("extract", spec["path"])).name
            if "extract" in spec:
                # A file kept in the repository (rows copied from the source at its commit).
                local.write_bytes((PANEL_DIR / spec["extract"]).read_bytes())
                commit = spec["commit"]
            elif spec["id"] in files:
                local.write_bytes(Path(files[spec["id"]]).read_bytes())
                commit = old.get(spec["id"], {}).get("commit", "")
                if old.get(spec["id"], {}).get("sha256") not in (None, sha256(local)):
                    raise UserError(f"{spec['id']}: file differs from the manifest's; fetch the repository instead",
                                    path=str(files[spec["id"]]))
            else:
                commit = mirror_file(mirror, spec["repository"], spec["path"], local)
            rep = read_file(spec["importer"], local)
            rows = rep.rows
            if spec["importer"] == "sipri-register":
                rows = register_panel(rows, PATRONS, FIRST_YEAR, LAST_YEAR)
            if "years" in spec:
                rows = rows[rows["year"].isin(spec["years"])]
            rows = scoped(rows).assign(source_id=spec["id"])
            if "targets" in spec:
                rows = rows[rows["partner"].isin(spec["targets"])]
            print(f"{spec['id']}: {len(rows)} rows ({rep.summary()})", file=sys.stderr)
            parts.append(rows)
            manifest_sources.append({**{k: spec[k] for k in ("id", "publisher", "repository", "path", "licence",
                                                              "credit", "description", "importer")},
                                     **({"extract": spec["extract"]} if "extract" in spec else {}),
                                     "commit": commit, "sha256": sha256(local), "rows": int(len(rows))})
    panel = pd.concat(parts, ignore_index=True).rename(columns={"actor": "patron", "partner": "target"})
    panel["lines"] = panel["lines"].astype(str)
    panel = panel[COLUMNS].sort_values(["source_id", "indicator", "target", "patron", "year", "reporter", "row_id"],
                                       na_position="first").reset_index(drop=True)
    if panel["row_id"].duplicated().any():
        raise SystemExit("duplicate row ids: two sources gave the same figure key")
    out.mkdir(parents=True, exist_ok=True)
    panel.to_csv(out / "panel.csv", index=False, float_format="%.10g", lineterminator="\n")
    manifest = {"generated_by": "scripts/build_panel.py", "years": [FIRST_YEAR, LAST_YEAR],
                "sources": manifest_sources,
                "panel": {"files": {"panel.csv": sha256(out / "panel.csv")}, "rows": int(len(panel))}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"), help="Directory of repository mirrors.")
    ap.add_argument("--out", type=Path, default=PANEL_DIR, help="Output directory.")
    ap.add_argument("--file", action="append", default=[], help="SOURCE_ID=PATH: read this source from a file.")
    a = ap.parse_args(argv)
    files = {}
    for f in a.file:
        k, _, v = f.partition("=")
        files[k] = Path(v)
    try:
        m = build(a.mirror, a.out, files)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{m['panel']['rows']} rows from {len(m['sources'])} sources -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
