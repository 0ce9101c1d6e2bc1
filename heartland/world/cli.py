"""``heartland world``, ``heartland institutions``, ``heartland import``."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def store_arg(db: Optional[Path]) -> Optional[Path]:
    """The store file to read, or None (curated data only) when it does not exist."""
    from heartland import paths

    p = Path(db) if db else paths.default_db_path()
    if not p.exists():
        err.print(f"no store at {p}: using the bundled data panel and curated data only", highlight=False)
        return None
    return p


def num(v, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.{digits}f}"


def interval(lo, hi, digits: int = 3) -> str:
    if lo is None or (isinstance(lo, float) and math.isnan(lo)):
        return "–"
    if abs(lo - hi) < 10 ** -(digits + 1):
        return num(lo, digits)
    return f"{num(lo, digits)}–{num(hi, digits)}"


def bounds(lo, hi, digits: int = 3) -> str:
    """An evidence interval as text, open ends shown as ≥ / ≤."""
    if lo is None and hi is None:
        return "–"
    if hi is None:
        return f"≥{num(lo, digits)}"
    if lo is None:
        return f"≤{num(hi, digits)}"
    return interval(lo, hi, digits)


def emit(rows: list[dict], fmt: Fmt, title: str, columns: list[str]) -> None:
    if fmt is Fmt.table and not rows:  # said in words, not an empty table
        console.print(f"{title}: nothing to show" if title else "nothing to show", highlight=False)
        return
    if fmt is Fmt.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=_json_default) + "\n")
        return
    if fmt is Fmt.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if _nan(r.get(k)) else r.get(k)) for k in columns})
        sys.stdout.write(buf.getvalue())
        return
    t = Table(title=title)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*[(num(r.get(c)) if isinstance(r.get(c), float) else str(r.get(c) if r.get(c) is not None else "–"))
                    for c in columns])
    console.print(t)


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _json_default(o):
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def clean(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if hasattr(v, "item"):
            v = v.item()
        out[k] = None if isinstance(v, float) and math.isnan(v) else v
    return out


def register(app: typer.Typer) -> None:
    @app.command("world")
    def world_cmd(
        date: str = typer.Option(None, "--date", help="As of this date (YYYY-MM-DD or YYYY; default today)."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format."),
        all_rows: bool = typer.Option(False, "--all", help="Also list ties with no evidence (all missing)."),
        conflicts: bool = typer.Option(False, "--conflicts", help="List the figures whose sources disagree "
                                       "instead (conflict: union taken; disputed: lower-ranked sources differ)."),
        evidence: str = typer.Option(None, "--evidence", envvar="HEARTLAND_EVIDENCE", help="What feeds the world: policy (default), reviewed or all (docs/review.md)."),
        ground: bool = typer.Option(False, "--ground", help="Count the cells of the date's year by ground "
                                    "(data, evidence, prior) per domain and per patron instead (docs/data.md)."),
    ) -> None:
        """The regional system as of a date: every patron → target tie per domain, with intervals."""
        from heartland.review.modes import use_mode
        use_mode(evidence)
        from heartland.world.cache import cached_world

        w = cached_world(store_arg(db), date)
        y = w.years[-1]
        if ground:
            from heartland.world.ground import ground_counts

            out = []
            for by in ("domain", "patron"):
                tab = ground_counts(w, y, by)
                rows = [clean({k: (v if isinstance(v, str) else int(v)) for k, v in r.items()})
                        for r in tab.to_dict("records")]
                if fmt is Fmt.table:
                    emit(rows, fmt, f"Cells of {y} by ground, per {by}", list(tab.columns))
                else:
                    out += [{"year": y, "by": by, "key": r.pop(by), **r} for r in rows]
            if fmt is not Fmt.table:
                emit(out, fmt, "", ["year", "by", "key", "data", "evidence", "prior", "cells"])
            return
        if conflicts:
            c = w.components
            c = c[(c["year"] == y) & (c["conflict"].astype(bool) | c["disputed"].astype(bool))]
            rows = []
            for r in c.itertuples(index=False):
                items = w.sources(r.patron, r.target, r.indicator, y)
                rows.append(clean({
                    "year": y, "patron": r.patron, "target": r.target, "indicator": r.indicator,
                    "low": r.low, "high": r.high, "unit": r.unit,
                    "status": "conflict" if r.conflict else "disputed",
                    "sources": "; ".join(f"{i.role}: {i.kind} {bounds(i.low, i.high)} {i.source}"
                                         for i in items if i.role in ("used", "conflicting")),
                }))
            if fmt is Fmt.table:
                rows = [{**r, "value": f"{interval(r['low'], r['high'])} {r['unit']}",
                         "dyad": f"{r['patron']}→{r['target']}"} for r in rows]
                emit(rows, fmt, f"Figures with disagreeing sources, {y}",
                     ["dyad", "indicator", "value", "status", "sources"])
            else:
                emit(rows, fmt, "", ["year", "patron", "target", "indicator", "low", "high", "unit", "status",
                                     "sources"])
            return
        t = w.ties[w.ties.year == y]
        rows = []
        for r in t.itertuples(index=False):
            if not all_rows and _nan(r.bandwidth_low) and _nan(r.dependence_low):
                continue
            rows.append(clean({"year": y, "patron": r.patron, "target": r.target, "domain": r.domain,
                               "bandwidth_low": r.bandwidth_low, "bandwidth_high": r.bandwidth_high,
                               "dependence_low": r.dependence_low, "dependence_high": r.dependence_high,
                               "components": int(r.bandwidth_n) + int(r.dependence_n)}))
        if fmt is Fmt.table:
            err.print(f"world as of {w.date.isoformat()}: {len(w.evidence)} evidence items "
                      f"({', '.join(f'{k} {v}' for k, v in w.evidence['kind'].value_counts().items())}); "
                      f"{len(w.institutions.as_of(w.date))} memberships in force", highlight=False)
            for msg in w.warnings[:10]:
                err.print(f"warning: {msg}", highlight=False)
            table_rows = [{"patron": r["patron"], "target": r["target"], "domain": r["domain"],
                           "bandwidth": interval(r["bandwidth_low"], r["bandwidth_high"]),
                           "dependence": interval(r["dependence_low"], r["dependence_high"]),
                           "components": r["components"]} for r in rows]
            emit(table_rows, fmt, f"Ties {y} (as of {w.date.isoformat()})",
                 ["patron", "target", "domain", "bandwidth", "dependence", "components"])
        else:
            emit(rows, fmt, "", list(rows[0].keys()) if rows else ["year"])

    @app.command("institutions")
    def institutions_cmd(
        date: str = typer.Option(None, "--date", help="As of this date (YYYY-MM-DD or YYYY; default today)."),
        fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format."),
        institution: Optional[str] = typer.Option(None, "--institution", help="Only this institution (e.g. SCO)."),
    ) -> None:
        """Institutions and their members as of a date, each membership with its source."""
        from heartland.world.build import _as_date
        from heartland.world.institutions import load_institutions

        on = _as_date(date)
        inst = load_institutions()
        rows = [clean({"institution": r.institution, "member": r.member, "role": r.role,
                       "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
                       "source": r.source, "source_url": r.source_url})
                for r in sorted(inst.as_of(on), key=lambda r: (r.institution, r.role, r.member))
                if institution is None or r.institution == institution.upper()]
        if fmt is Fmt.table:
            t = Table(title=f"Institutions as of {on.isoformat()}")
            for c in ("institution", "members", "others"):
                t.add_column(c)
            names = sorted({r["institution"] for r in rows})
            for n in names:
                full = [r["member"] for r in rows if r["institution"] == n and r["role"] in ("founder", "member")]
                other = [f"{r['member']} ({r['role']})" for r in rows
                         if r["institution"] == n and r["role"] not in ("founder", "member")]
                t.add_row(n, f"{len(full)}: " + " ".join(full), ", ".join(other))
            console.print(t)
        else:
            emit(rows, fmt, "", ["institution", "member", "role", "start", "end", "source", "source_url"])

    @app.command("import")
    def import_cmd(
        kind: str = typer.Argument(..., help="comtrade, imf-dots, sipri-register, sipri-tiv, worldbank, "
                                   "worldbank-panel, undesa-stock, undesa-stock-pairs, undesa-stock-matrix or ei-gas-pipeline."),
        file: Path = typer.Argument(..., help="The CSV (or, for imf-dots and ei-gas-pipeline, .xlsx) file as "
                                    "downloaded."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
    ) -> None:
        """Import a downloaded dataset (UN Comtrade, IMF DOTS, SIPRI, World Bank, UN DESA, Statistical Review)."""
        from heartland import paths
        from heartland.world.importers import import_file

        rep = import_file(kind, file, db or paths.default_db_path())
        console.print(rep.summary(), highlight=False)
