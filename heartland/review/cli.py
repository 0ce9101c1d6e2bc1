"""``heartland review``: list candidates by impact, accept / reject / edit, export / import.

Only typer is imported at module level (``heartland --help`` stays fast); the store, the
world and pandas are imported when a command runs.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from heartland.errors import UserError


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Kind(str, Enum):
    fact = "fact"
    event = "event"
    quote = "quote"
    name = "name"


class State(str, Enum):
    candidate = "candidate"
    accepted = "accepted"
    rejected = "rejected"
    edited = "edited"
    all = "all"


class Mode(str, Enum):
    policy = "policy"
    reviewed = "reviewed"
    all = "all"


LIST_COLUMNS = ["key", "kind", "state", "summary", "confidence", "reason", "impact", "impact_text", "patron",
                "target", "domain", "year", "before", "after", "direction", "stale", "article_id", "article_url",
                "span_start", "span_end", "sentence", "sentence_span"]


def _db(db: Optional[Path]) -> Path:
    from heartland import paths

    p = Path(db) if db else paths.default_db_path()
    if not p.exists():
        raise UserError("no store here yet (run 'heartland ingest PATH' first)", path=str(p))
    return p


def _row(r: dict) -> dict:
    out = {"key": r["item_key"], **{k: r.get(k) for k in LIST_COLUMNS if k != "key"}}
    out["item_id"] = r.get("item_id")
    return out


def _highlight(sentence: str, s0: int, s1: int):
    from rich.text import Text

    t = Text(sentence)
    if 0 <= s0 < s1 <= len(sentence):
        t.stylize("bold black on yellow", s0, s1)
    return t


def _show(rows: list[dict], fmt: Fmt, title: str) -> None:
    import csv
    import io
    import json

    if fmt is Fmt.json:
        sys.stdout.write(json.dumps([_row(r) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is Fmt.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=LIST_COLUMNS + ["item_id"], extrasaction="ignore")
        w.writeheader()
        for r in rows:
            d = _row(r)
            d["sentence_span"] = "" if d.get("sentence_span") is None else f"{d['sentence_span'][0]}-{d['sentence_span'][1]}"
            w.writerow({k: ("" if v is None else v) for k, v in d.items()})
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=True)
    t.add_column("key", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("item", overflow="fold", ratio=2)
    t.add_column("conf", justify="right", no_wrap=True)
    t.add_column("reason", overflow="fold", max_width=14)
    t.add_column("sentence", overflow="fold", ratio=4)
    t.add_column("impact", overflow="fold", ratio=2)
    for r in rows:
        conf = "" if r.get("confidence") is None else f"{r['confidence']:.2f}"
        item = Text(r.get("summary") or "")
        if r.get("state") != "candidate":
            item.append(f"\n[{r['state']}]", style="italic")
        t.add_row(r["item_key"][:10], r["kind"], item, conf, r.get("reason") or "",
                  _highlight(r.get("sentence") or "", *r.get("sentence_span", (0, 0))),
                  Text(r.get("impact_text") or "moves no index", style="" if r.get("impact") else "dim"))
    Console().print(t)


def _decide(ref: str, state: str, *, reason: str, by: Optional[str], edited: dict | None, db: Optional[Path]) -> None:
    from rich.console import Console
    from rich.markup import escape

    from heartland.review.decisions import decide
    from heartland.review.schema import ensure_schema
    from heartland.store import session

    if not reason or not reason.strip():
        raise UserError("--reason: say why (it is kept with the decision)")
    with session(_db(db), schema_hooks=[ensure_schema]) as conn:
        item = decide(conn, ref.strip(), state, edited=edited, by=by, why=reason.strip())
    Console().print(f"{state} {item['kind']} {item['item_key'][:10]}: {escape(str(item.get('summary') or ''))}",
                    highlight=False)


def _parse_set(pairs: list[str]) -> dict:
    out: dict = {}
    for p in pairs:
        if "=" not in p:
            raise UserError(f"--set {p!r}: expected field=value (e.g. --set subject=RUS)")
        k, v = p.split("=", 1)
        k, v = k.strip(), v.strip()
        if not k:
            raise UserError(f"--set {p!r}: no field name before '='")
        if k in ("value", "low", "high"):
            if v.lower() in ("", "none", "null"):
                out[k] = None
                continue
            try:
                out[k] = float(v)
            except ValueError:
                raise UserError(f"--set {k}={v}: expected a number") from None
        elif k == "actors":
            out[k] = [a.strip() for a in v.split(",") if a.strip()]
        elif k in ("date", "period_start", "period_end"):
            from datetime import date as _date
            try:
                out[k] = _date.fromisoformat(v).isoformat() if v else None
            except ValueError:
                raise UserError(f"--set {k}={v}: expected a date YYYY-MM-DD") from None
        else:
            out[k] = v
    return out


def _list(*, kind, state, article, actor, indicator, min_conf, max_conf, limit, fmt, date, evidence, db) -> None:
    from heartland.review.impact import ranked_items
    from heartland.store import session

    path = _db(db)
    with session(path, read_only=True) as conn:
        rows = ranked_items(conn, path, date=date, mode=evidence.value, state=state.value,
                            kinds=[k.value for k in kind] if kind else None, article=article, actor=actor,
                            indicator=indicator, min_confidence=min_conf, max_confidence=max_conf,
                            limit=limit if limit and limit > 0 else None, stale_ok=True)
    what = "candidates" if state is State.candidate else f"{state.value} items"
    stale = sum(1 for r in rows if r.get("stale"))
    note = (f"; {stale} marked ≈ were computed before your latest decisions (being recomputed in the background)"
            if stale else "")
    _show(rows, fmt, f"{len(rows)} {what} by impact ({evidence.value} evidence){note}")


def _preview(ref: str, state: str, *, date, evidence, fmt, db) -> None:
    import json

    from heartland.review.decisions import find_item
    from heartland.review.impact import cached_impacts, preview
    from heartland.store import session

    if state not in ("accepted", "rejected"):
        raise UserError(f"--state must be accepted or rejected, not {state!r}")
    path = _db(db)
    with session(path, read_only=True) as conn:
        item = find_item(conn, ref.strip())
        m = cached_impacts(conn, path, date, evidence.value, stale_ok=True).table
        m = m[m["item_key"] == item["item_key"]]
        cell = tuple(m.iloc[0][["patron", "target", "domain", "year"]]) if len(m) else None
        res = preview(conn, item["item_key"], state, date=date, mode=evidence.value,
                      cell=(cell[0], cell[1], cell[2], int(cell[3])) if cell else None)
    if fmt is not Fmt.table:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape

    con = Console()
    verb = "accepting" if state == "accepted" else "rejecting"
    con.print(f"{verb} {item['kind']} {item['item_key'][:10]} ({escape(str(item.get('summary') or ''))}) changes "
              f"{len(res['changes'])} number{'s' if len(res['changes']) != 1 else ''}:", highlight=False)
    f = lambda v: "none" if v is None else f"{v:.3f}"  # noqa: E731
    for c in res["changes"]:
        con.print(f"  {c['patron']}→{c['target']} {c['domain']} {c['year']}: {f(c['before'])} → {f(c['after'])}",
                  highlight=False)


def _opts():
    """The list options (shared by ``heartland review`` and ``heartland review list``)."""
    return dict(
        kind=typer.Option(None, "--kind", help="Only this kind (repeat): fact, event, quote, name."),
        state=typer.Option(State.candidate, "--state", help="candidate (default), accepted, rejected, edited or all."),
        article=typer.Option(None, "--article", help="Only items of this article (id, id prefix or URL)."),
        actor=typer.Option(None, "--actor", help="Only items naming this actor (KAZ, person:putin, ...)."),
        indicator=typer.Option(None, "--indicator", "--type", help="Only facts of this indicator or events of this type."),
        min_conf=typer.Option(None, "--min-confidence", help="Confidence at least this."),
        max_conf=typer.Option(None, "--max-confidence", help="Confidence at most this."),
        limit=typer.Option(20, "--limit", help="How many (0: all)."),
        fmt=typer.Option(Fmt.table, "--format", help="table, json or csv."),
        date=typer.Option(None, "--date", help="The world's date (YYYY-MM-DD or YYYY; default today)."),
        evidence=typer.Option(Mode.policy, "--evidence", help="The evidence policy the impacts are measured "
                              "against: policy (default), reviewed or all."),
        db=typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        # the decision commands' (accept, reject, edit)
        ref=typer.Argument(..., metavar="ID", help="Item key (8+ characters of it) or row id."),
        reason=typer.Option(..., "--reason", help="Why (kept with the decision)."),
        by=typer.Option(None, "--by", help="Who decides (default: the login name)."),
    )


_O = _opts()


def register(app: typer.Typer) -> None:
    review = typer.Typer(help="Review extracted items: list candidates by impact, accept, reject, edit, "
                              "export and import decisions (docs/review.md).",
                         invoke_without_command=True, no_args_is_help=False)

    @review.callback()
    def review_root(
        ctx: typer.Context,
        kind: Optional[List[Kind]] = _O["kind"], state: State = _O["state"], article: Optional[str] = _O["article"],
        actor: Optional[str] = _O["actor"], indicator: Optional[str] = _O["indicator"],
        min_conf: Optional[float] = _O["min_conf"], max_conf: Optional[float] = _O["max_conf"],
        limit: int = _O["limit"], fmt: Fmt = _O["fmt"], date: Optional[str] = _O["date"],
        evidence: Mode = _O["evidence"], db: Optional[Path] = _O["db"],
    ) -> None:
        """Candidates ordered by how much accepting (or rejecting) them would move an index."""
        if ctx.invoked_subcommand is None:
            _list(kind=kind, state=state, article=article, actor=actor, indicator=indicator, min_conf=min_conf,
                  max_conf=max_conf, limit=limit, fmt=fmt, date=date, evidence=evidence, db=db)

    @review.command("list")
    def list_cmd(
        kind: Optional[List[Kind]] = _O["kind"], state: State = _O["state"], article: Optional[str] = _O["article"],
        actor: Optional[str] = _O["actor"], indicator: Optional[str] = _O["indicator"],
        min_conf: Optional[float] = _O["min_conf"], max_conf: Optional[float] = _O["max_conf"],
        limit: int = _O["limit"], fmt: Fmt = _O["fmt"], date: Optional[str] = _O["date"],
        evidence: Mode = _O["evidence"], db: Optional[Path] = _O["db"],
    ) -> None:
        """Items by impact, with the sentence and its highlighted span (the default command)."""
        _list(kind=kind, state=state, article=article, actor=actor, indicator=indicator, min_conf=min_conf,
              max_conf=max_conf, limit=limit, fmt=fmt, date=date, evidence=evidence, db=db)

    @review.command("accept")
    def accept_cmd(
        ref: str = _O["ref"], reason: str = _O["reason"], by: Optional[str] = _O["by"],
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Accept an item: it counts in the world under every policy."""
        _decide(ref, "accepted", reason=reason, by=by, edited=None, db=db)

    @review.command("reject")
    def reject_cmd(
        ref: str = _O["ref"], reason: str = _O["reason"], by: Optional[str] = _O["by"],
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Reject an item: it counts nowhere (it stays visible as evidence)."""
        _decide(ref, "rejected", reason=reason, by=by, edited=None, db=db)

    @review.command("edit")
    def edit_cmd(
        ref: str = _O["ref"],
        set_: List[str] = typer.Option(..., "--set", help="field=value (repeat); e.g. --set subject=RUS."),
        reason: str = _O["reason"], by: Optional[str] = _O["by"],
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Correct an item's fields; the corrected values count, the original is kept beside them."""
        _decide(ref, "edited", reason=reason, by=by, edited=_parse_set(set_), db=db)

    @review.command("preview")
    def preview_cmd(
        ref: str = _O["ref"],
        state: str = typer.Option("accepted", "--state", help="The decision to preview: accepted or rejected."),
        date: Optional[str] = _O["date"], evidence: Mode = _O["evidence"], fmt: Fmt = _O["fmt"],
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Exactly which influence numbers a decision would change (every one, before → after), without
        recording it: the world rebuilt with the decision taken as made."""
        _preview(ref, state, date=date, evidence=evidence, fmt=fmt, db=db)

    @review.command("export")
    def export_cmd(
        file: Path = typer.Argument(..., help="Output file: .csv or .jsonl."),
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Write every decision (key, state, edits, original, who, when, why) to a file."""
        from heartland.review.io import export_decisions
        from heartland.store import session

        with session(_db(db), read_only=True) as conn:
            n = export_decisions(conn, file)
        typer.echo(f"{n} decisions written to {file}")

    @review.command("import")
    def import_cmd(
        file: Path = typer.Argument(..., help="A decision file from 'heartland review export' (.csv or .jsonl)."),
        db: Optional[Path] = _O["db"],
    ) -> None:
        """Apply a decision file to this store: all of it, or nothing if any line has a problem."""
        from heartland.review.io import import_decisions
        from heartland.review.schema import ensure_schema
        from heartland.store import session

        if not file.exists():
            raise UserError("no such file", path=str(file))
        with session(_db(db), schema_hooks=[ensure_schema]) as conn:
            rep = import_decisions(conn, file)
        states = ", ".join(f"{n} {s}" for s, n in sorted(rep.by_state.items())) or "nothing new"
        typer.echo(f"{rep.applied} decisions applied from {file} ({states}); {rep.unchanged} already so")

    app.add_typer(review, name="review")
