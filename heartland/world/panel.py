"""The bundled data panel (``heartland/data/panel/``): public datasets, 2010–2024, as evidence.

``scripts/build_panel.py`` reads the published files (IMF DOTS workbooks, the SIPRI trade
register, World Bank remittances) through the importers of
:mod:`heartland.world.importers` and writes ``panel.csv`` (one row per figure, in the
importers' row shape plus ``source_id``) and ``manifest.json`` (per source: publisher,
repository, commit, path, sha256, licence, credit line; and the panel file's sha256).
The world reads the panel as ``dataset`` evidence with ground ``data``; every row names
its source file and the lines it came from (docs/data.md).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from heartland.errors import UserError
from heartland.paths import DATA_DIR
from heartland.world.evidence import empty_evidence, normalise

PANEL_DIR = DATA_DIR / "panel"
PANEL_CSV = PANEL_DIR / "panel.csv"
MANIFEST = PANEL_DIR / "manifest.json"
COLUMNS = ["row_id", "source_id", "dataset", "file", "lines", "reporter", "patron", "target", "indicator", "year",
           "period", "value", "low", "high", "unit", "source", "note"]
FIRST_YEAR, LAST_YEAR = 2010, 2024


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_manifest(path: Path | None = None) -> dict:
    p = Path(path) if path else MANIFEST
    if not p.exists():
        return {"sources": [], "panel": {}}
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON: {exc.msg} at line {exc.lineno}", path=str(p)) from None


def load_panel_rows(path: Path | None = None) -> pd.DataFrame:
    """The panel's rows (empty when the panel is not bundled)."""
    p = Path(path) if path else PANEL_CSV
    if not p.exists():
        return pd.DataFrame(columns=COLUMNS)
    return _read(str(p), p.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _read(path: str, _mtime: int) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"row_id": str, "source_id": str, "lines": str, "reporter": str, "period": str,
                                  "target": str, "patron": str}, keep_default_na=False, na_values={
        "value": [""], "low": [""], "high": [""]})
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise UserError(f"panel file lacks columns {missing}", path=path)
    for c in ("reporter", "period", "note"):
        df[c] = df[c].replace("", None)
    return df


def source_urls(manifest: dict) -> dict[str, str]:
    """source_id → a permanent URL of the file the rows came from (repository at its commit)."""
    out = {}
    for s in manifest.get("sources", []):
        repo, commit, path = s.get("repository", ""), s.get("commit", ""), s.get("path", "")
        out[s["id"]] = f"https://github.com/{repo}/blob/{commit}/{path}" if repo and commit else ""
    return out


def panel_evidence(rows: pd.DataFrame | None = None, manifest: dict | None = None) -> pd.DataFrame:
    """The panel as evidence items (kind ``dataset``, ground ``data``; eid ``panel:<row_id>``).

    Monadic figures (a state's remittances as a share of GDP) are items of the pair
    (WLD, state), like the state's total trade. A share over a rolling five-year window is
    the figure of the window's last year only (its window is in the note): the windows
    overlap, and the share to Y must not speak for earlier years (nothing known only
    after a year is used for it).
    """
    rows = load_panel_rows() if rows is None else rows
    if rows.empty:
        return empty_evidence()
    manifest = load_manifest() if manifest is None else manifest
    urls = source_urls(manifest)
    rep = rows["reporter"].fillna("").astype(str)
    out = pd.DataFrame({
        "eid": "panel:" + rows["row_id"].astype(str), "kind": "dataset", "patron": rows["patron"],
        "target": rows["target"], "indicator": rows["indicator"], "year": rows["year"].astype(int),
        "period": None, "value": rows["value"], "low": rows["low"], "high": rows["high"], "unit": rows["unit"],
        # Each reporter is its own source: mirror statistics are not revisions of each other.
        "source": rows["source"] + np.where(rep != "", ", reported by " + rep, ""),
        "source_url": rows["source_id"].map(urls).replace("", None),
        "published": None, "corroboration": 1,
        "note": rows["dataset"] + " " + rows["file"] + " line " + rows["lines"].astype(str)
        + np.where(rep != "", " (reported by " + rep + ")", "")
        + np.where(rows["period"].notna(), " window " + rows["period"].fillna("").astype(str), "")
        + np.where(rows["note"].notna(), ": " + rows["note"].fillna("").astype(str), ""),
    })
    return normalise(out).assign(ground="data")


def verify(panel_dir: Path | None = None) -> list[str]:
    """Problems of the bundled panel against its manifest (empty list: all good)."""
    d = Path(panel_dir) if panel_dir else PANEL_DIR
    man = load_manifest(d / "manifest.json")
    problems = []
    files = man.get("panel", {}).get("files", {})
    if not files:
        return [f"{d / 'manifest.json'}: no panel files listed"]
    for name, digest in files.items():
        f = d / name
        if not f.exists():
            problems.append(f"{f}: listed in the manifest but missing")
        elif sha256(f) != digest:
            problems.append(f"{f}: sha256 differs from the manifest (regenerate with scripts/build_panel.py)")
    if problems:
        return problems
    rows = load_panel_rows(d / "panel.csv")
    ids = {s["id"] for s in man.get("sources", [])}
    for s in man.get("sources", []):
        for k in ("publisher", "repository", "commit", "path", "sha256", "licence", "credit"):
            if not s.get(k):
                problems.append(f"manifest source {s.get('id')!r}: no {k}")
    bad = rows[~rows["source_id"].isin(ids)]
    if len(bad):
        problems.append(f"{len(bad)} panel rows name no manifest source (first: {bad.iloc[0]['row_id']})")
    nolines = rows[rows["lines"].astype(str).str.strip().isin(["", "0"]) & ~rows["note"].fillna("").str.contains(
        "no delivery listed")]
    if len(nolines):
        problems.append(f"{len(nolines)} panel rows name no source line (first: {nolines.iloc[0]['row_id']})")
    if rows["row_id"].duplicated().any():
        problems.append("duplicate row ids in the panel")
    return problems
