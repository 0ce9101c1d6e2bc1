"""Shared machinery of the importers: reading CSV text, row records, writing to the store."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.axes import TARGETS

TARGET_SET = set(TARGETS)


@dataclass
class ImportReport:
    """What an import did: rows written, and every line left out with the reason."""

    kind: str
    file: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    written: int = 0

    def summary(self) -> str:
        reasons: dict[str, int] = {}
        for _, r in self.skipped:
            reasons[r] = reasons.get(r, 0) + 1
        extra = "; ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        return f"{self.kind}: {self.written} figures from {self.file}" + (f" (skipped: {extra})" if extra else "")


def read_text(path: Path) -> str:
    if not path.exists():
        raise UserError("no such file", path=str(path))
    if path.is_dir():
        raise UserError("is a directory, expected a CSV file", path=str(path))
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UserError("cannot decode the file as text", path=str(path))


def csv_rows(text: str, start_line: int = 1) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every CSV record of ``text`` (line numbers of the file)."""
    out = []
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        out.append((start_line + reader.line_num - 1, cells))
    return out


def number(text) -> float | None:
    t = str(text if text is not None else "").strip().replace(",", "")
    if t in ("", "..", "-", "NA", "n/a", "nan"):
        return None
    try:
        return float(t)
    except ValueError:
        return None


def row_id(dataset: str, reporter: str | None, actor: str, partner: str | None, indicator: str, year: int,
           period: str | None) -> str:
    key = "|".join(str(x or "") for x in (dataset, reporter, actor, partner, indicator, year, period))
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def record(dataset: str, file: str, lines: list[int], actor: str, partner: str | None, indicator: str, year: int,
           value: float | None, unit: str, source: str, *, reporter: str | None = None, period: str | None = None,
           low: float | None = None, high: float | None = None, note: str | None = None) -> dict:
    return {"row_id": row_id(dataset, reporter, actor, partner, indicator, year, period), "dataset": dataset,
            "file": file, "line": min(lines), "lines": ",".join(str(x) for x in sorted(set(lines))),
            "reporter": reporter, "actor": actor, "partner": partner, "indicator": indicator, "year": int(year),
            "period": period, "value": value, "low": low, "high": high, "unit": unit, "source": source,
            "note": note}


def orient_dyad(a: str, b: str) -> tuple[str, str] | None:
    """(patron side, target side) of a pair of ISO codes; None if neither is a target."""
    if b in TARGET_SET and a not in TARGET_SET:
        return a, b
    if a in TARGET_SET and b not in TARGET_SET:
        return b, a
    if a in TARGET_SET and b in TARGET_SET:
        return a, b  # ties between two of the five: kept, the world reads them as such
    return None


def read_file(kind: str, path: Path | str) -> ImportReport:
    """Parse ``path`` as ``kind`` without touching the store."""
    from heartland.world.importers import comtrade, energy, imf_dots, sipri, undesa, worldbank

    p = Path(path)
    readers = {"comtrade": comtrade.read, "imf-dots": imf_dots.read, "sipri-register": sipri.read_register,
               "sipri-tiv": sipri.read_tiv, "worldbank": worldbank.read,
               "worldbank-panel": worldbank.read_panel, "undesa-stock": undesa.read,
               "undesa-stock-pairs": undesa.read_pairs, "undesa-stock-matrix": undesa.read_matrix_json,
               "ei-gas-pipeline": lambda path, _text: energy.read_gas_pipeline(path)}
    if kind not in readers:
        raise UserError(f"unknown import kind {kind!r} (one of {', '.join(readers)})")
    if kind == "worldbank" and p.suffix.lower() == ".xls":
        return worldbank.read_xls(p)
    if kind in ("imf-dots", "ei-gas-pipeline") and p.suffix.lower() == ".xlsx":
        if not p.is_file():
            raise UserError("no such file", path=str(p))
        return imf_dots.read_workbook(p) if kind == "imf-dots" else energy.read_gas_pipeline(p)
    return readers[kind](p, read_text(p))


def write_rows(conn, rows: pd.DataFrame) -> int:
    from heartland.world.store_io import DATASET_DDL, DATASET_TABLE

    conn.execute(DATASET_DDL)
    if rows.empty:
        return 0
    cols = ["row_id", "dataset", "file", "line", "lines", "reporter", "actor", "partner", "indicator", "year",
            "period", "value", "low", "high", "unit", "source", "note"]
    df = rows[cols]
    conn.register("_heartland_import", df)
    try:
        conn.execute("BEGIN TRANSACTION")
        conn.execute(f"DELETE FROM {DATASET_TABLE} WHERE row_id IN (SELECT row_id FROM _heartland_import)")
        conn.execute(f"INSERT INTO {DATASET_TABLE} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _heartland_import")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.unregister("_heartland_import")
    return len(df)


def import_file(kind: str, path: Path | str, conn_or_db) -> ImportReport:
    """Parse ``path`` as ``kind`` and write its figures to the store (one transaction)."""
    from heartland.world.store_io import connection

    rep = read_file(kind, path)
    if rep.rows.empty:
        raise UserError(f"no {kind} figures found" + (f" ({rep.skipped[0][1]} at line {rep.skipped[0][0]})"
                                                      if rep.skipped else ""), path=str(path))
    with connection(conn_or_db, read_only=False) as conn:
        rep.written = write_rows(conn, rep.rows)
    return rep
