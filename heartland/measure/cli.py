"""``heartland index`` and ``heartland explain``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from heartland.errors import UserError
from heartland.world.cli import Fmt, clean, console, emit, interval, store_arg


class What(str, Enum):
    influence = "influence"
    division = "division"
    transition = "transition"
    friction = "friction"


class TextFmt(str, Enum):
    text = "text"
    json = "json"


def _years(date: Optional[str], y_from: Optional[int], y_to: Optional[int]) -> tuple[str | None, list[int] | None]:
    if date and (y_from or y_to):
        raise UserError("--date and --from/--to exclude each other")
    if y_from or y_to:
        y_to = y_to or y_from
        y_from = y_from or y_to
        if y_from > y_to:
            raise UserError(f"--from {y_from} is after --to {y_to}")
        return f"{y_to}-12-31", list(range(y_from, y_to + 1))
    return date, None


def register(app: typer.Typer) -> None:
    @app.command("index")
    def index_cmd(
        domain: Optional[List[str]] = typer.Option(None, "--domain", help="Only these domains (repeat); "
                                                  "security, economy, connectivity, politics, society, overall, fbic."),
        date: Optional[str] = typer.Option(None, "--date", help="The year of this date (YYYY-MM-DD or YYYY; "
                                           "default: the latest year with evidence)."),
        y_from: Optional[int] = typer.Option(None, "--from", help="First year."),
        y_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
        what: What = typer.Option(What.influence, "--what", help="influence (default), division (of labour), "
                                  "transition (China/Russia parity and dissatisfaction) or friction."),
        patron: Optional[List[str]] = typer.Option(None, "--patron", help="Only these patrons (repeat)."),
        target: Optional[List[str]] = typer.Option(None, "--target", help="Only these targets (repeat; C5 too)."),
        fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        evidence: str = typer.Option(None, "--evidence", envvar="HEARTLAND_EVIDENCE", help="What feeds the world: policy (default), reviewed or all (docs/review.md)."),
    ) -> None:
        """Influence indices (FBIC: bandwidth × dependence) per patron, target, domain and year, with intervals."""
        from heartland.review.modes import use_mode
        use_mode(evidence)
        from heartland.measure import compute_indices
        from heartland.world import DOMAINS, WorldParams, latest_evidence_year
        from heartland.world.cache import cached_answer
        from heartland.world.cache import cached_world as build_world  # reused while its inputs are unchanged

        as_of, years = _years(date, y_from, y_to)
        doms = [d.lower() for d in (domain or [])]
        bad = [d for d in doms if d not in DOMAINS + ("overall", "fbic")]
        if bad:
            raise UserError(f"--domain: {', '.join(bad)} not one of {', '.join(DOMAINS)}, overall, fbic")
        params = WorldParams(first_year=min(years[0], WorldParams().first_year)) if years else WorldParams()
        store = store_arg(db)

        def indices():
            w = build_world(store, as_of, params=params)
            # Without a date: the latest year with evidence of its own, not an empty current year.
            return compute_indices(w, years or [w.years[-1] if as_of else latest_evidence_year(w)])

        # kept beside the store with the world, under the same inputs key (heartland/world/cache.py)
        idx = cached_answer(store, ("indices", as_of, tuple(years or ()), repr(params)), indices, date=as_of)
        if what is What.influence:
            f = idx.influence
            if doms:
                f = f[f.domain.isin(doms)]
            if patron:
                f = f[f.patron.isin([p.upper() for p in patron])]
            if target:
                f = f[f.target.isin([t.upper() for t in target])]
            f = f[f["low"].notna()]
            rows = [clean(r) for r in f[["year", "patron", "target", "domain", "low", "mid", "high"]]
                    .to_dict(orient="records")]
            if fmt is Fmt.table:
                rows = [{**r, "influence": interval(r["low"], r["high"])} for r in rows]
                emit(rows, fmt, f"Influence (FBIC) {idx.years[0]}–{idx.years[-1]}",
                     ["year", "patron", "target", "domain", "influence"])
            else:
                emit(rows, fmt, "", ["year", "patron", "target", "domain", "low", "mid", "high"])
        elif what is What.division:
            f = idx.division_of_labour
            if target:
                f = f[f.target.isin([t.upper() for t in target])]
            rows = [clean(r) for r in f.to_dict(orient="records")]
            emit(rows, fmt, "Division of labour (China's economy share − its security share)",
                 ["year", "target", "low", "mid", "high"])
        elif what is What.transition:
            f = idx.transition.merge(idx.dissatisfaction.rename(columns={"low": "dissatisfaction_low",
                                                                        "mid": "dissatisfaction",
                                                                        "high": "dissatisfaction_high"}), on="year")
            if doms:
                f = f[f.domain.isin(doms)]
            rows = [clean(r) for r in f.to_dict(orient="records")]
            emit(rows, fmt, f"Power transition China/Russia (band {idx.params.parity_band})",
                 ["year", "domain", "ratio_low", "ratio", "ratio_high", "zone", "dissatisfaction"])
        else:
            rows = [clean(r) for r in idx.friction.to_dict(orient="records")]
            emit(rows, fmt, "China–Russia friction", ["year", "encroachment", "corridor_competition",
                                                       "quotes_competition", "quotes_cooperation",
                                                       "expert_balance", "friction"])

    @app.command("explain")
    def explain_cmd(
        patron: str = typer.Argument(..., help="Patron, e.g. RUS."),
        target: str = typer.Argument(..., help="Target, e.g. KAZ (or C5)."),
        domain: str = typer.Argument(..., help="security, economy, connectivity, politics, society or overall."),
        date: Optional[str] = typer.Option(None, "--date", help="The year of this date (YYYY-MM-DD or YYYY)."),
        fmt: TextFmt = typer.Option(TextFmt.text, "--format", help="text or json."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        evidence: str = typer.Option(None, "--evidence", envvar="HEARTLAND_EVIDENCE", help="What feeds the world: policy (default), reviewed or all (docs/review.md)."),
    ) -> None:
        """The number and every ground behind it: each fact, event, dataset row and curated entry with its
        source (and an article's sentence), and what share of the number rests on data, curated rows,
        reviewed evidence, policy-admitted candidates and the prior."""
        from heartland.review.modes import use_mode
        use_mode(evidence)
        from heartland.world.cache import cached_answer

        store = store_arg(db)

        def compute() -> dict[str, str]:
            from heartland.measure.explain import explain, render_text
            from heartland.world import latest_evidence_year
            from heartland.world.cache import cached_world

            w = cached_world(store, date)
            e = explain(w, patron, target, domain.lower(), w.years[-1] if date else latest_evidence_year(w),
                        db=store)
            return {"json": json.dumps(e.as_json(), ensure_ascii=False, indent=2), "text": render_text(e)}

        # The finished answer is kept under the world's inputs key: asked again, explain
        # answers without pandas or the world (heartland/world/cache.py).
        ans = cached_answer(store, ("explain", patron, target, domain.lower(), date), compute, date=date)
        if fmt is TextFmt.json:
            sys.stdout.write(ans["json"] + "\n")
        else:
            console.print(ans["text"], highlight=False, soft_wrap=True, markup=False)
