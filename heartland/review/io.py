"""Sharing decisions: export every decision to CSV or JSON Lines, import them into another store.

Keys are content keys (``review_items.item_key``: article URL, kind, content, surface), so a
file exported from one store applies to another that ingested the same articles, even from
scratch. Import is all or nothing: the whole file is checked first (encoding, syntax, fields,
states, edits, keys known to this store, conflicting decisions for one key) and every problem
is reported as ``FILE:LINE: problem``; only a clean file is applied, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from heartland.errors import UserError
from heartland.review.decisions import DECISIONS, EDITABLE, record
from heartland.review.schema import KINDS, ensure_schema, existing_tables, items_with_state_sql

#: Columns of an export, in order.
FIELDS = ("key", "kind", "article_url", "state", "edited", "original", "confidence", "reason", "decided_by",
          "decided_at", "why")
#: Most problems listed before the rest are counted.
MAX_PROBLEMS = 50


class ImportProblems(UserError):
    """An import file with problems: every one listed, nothing applied."""

    def __init__(self, path: str, problems: list[tuple[int, str]]):
        self.problems = problems
        shown = [f"{path}:{line}: {msg}" if line else f"{path}: {msg}" for line, msg in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"{path}: ... and {len(problems) - MAX_PROBLEMS} more problems")
        n = len(problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {path}; nothing was imported"
        super().__init__("\n".join([head] + shown))


@dataclass
class ImportReport:
    path: str
    applied: int = 0
    unchanged: int = 0
    by_state: dict = field(default_factory=dict)


def _format(path: Path) -> str:
    suf = path.suffix.lower()
    if suf == ".csv":
        return "csv"
    if suf in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UserError("unknown format: use a .csv or .jsonl file name", path=str(path))


# -- export -----------------------------------------------------------------------------------

def decisions(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every decision in the store as export rows (latest per key), ordered by time and key."""
    if "review_decisions" not in existing_tables(conn):
        return []
    rows = conn.execute("SELECT item_key, kind, article_url, state, edited, original, confidence, reason, "
                        "decided_by, decided_at, why FROM review_decisions ORDER BY decided_at, item_key").fetchall()
    out = []
    for r in rows:
        d = dict(zip(FIELDS, r))
        d["decided_at"] = d["decided_at"].isoformat() if d["decided_at"] is not None else None
        out.append(d)
    return out


def export_decisions(conn: duckdb.DuckDBPyConnection, path: str | Path) -> int:
    """Write every decision to ``path`` (.csv or .jsonl by suffix); returns how many."""
    path = Path(path)
    fmt = _format(path)
    rows = decisions(conn)
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                w = csv.DictWriter(fh, fieldnames=FIELDS)
                w.writeheader()
                for r in rows:
                    w.writerow({k: ("" if v is None else v) for k, v in r.items()})
            else:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp.replace(path)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
    return len(rows)


# -- import -----------------------------------------------------------------------------------

def _records(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(line, record) pairs and (line, problem) pairs of a decision file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    problems: list[tuple[int, str]] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.split(b"\n")
    texts = []
    for n, b in enumerate(lines, 1):
        try:
            texts.append(b.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.append((n, f"not UTF-8 (byte 0x{b[exc.start]:02x} at column {exc.start + 1}); "
                                "save the file as UTF-8"))
            texts.append(b.decode("utf-8", errors="replace"))
    recs: list[tuple[int, dict]] = []
    if _format(path) == "jsonl":
        for n, t in enumerate(texts, 1):
            if not t.strip():
                continue
            try:
                obj = json.loads(t)
            except json.JSONDecodeError as exc:
                problems.append((n, f"not valid JSON ({exc.msg} at column {exc.colno})"))
                continue
            if not isinstance(obj, dict):
                problems.append((n, "expected a JSON object per line"))
                continue
            if "key" not in obj and "item_key" in obj:
                obj["key"] = obj["item_key"]   # the store's column name is accepted too
            recs.append((n, obj))
    else:
        text = "\n".join(texts)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            return [], problems
        except csv.Error as exc:
            return [], problems + [(1, f"not valid CSV ({exc})")]
        header = [("key" if h.strip() == "item_key" else h.strip()) for h in header]
        if "key" not in header or "state" not in header:
            problems.append((1, f"header must name at least 'key' and 'state' (got {', '.join(header) or 'nothing'})"))
            return [], problems
        try:
            for row in reader:
                n = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    problems.append((n, f"{len(row)} fields, the header has {len(header)}"))
                    continue
                recs.append((n, {h: (v if v != "" else None) for h, v in zip(header, row)}))
        except csv.Error as exc:
            problems.append((reader.line_num, f"not valid CSV ({exc})"))
    return recs, problems


def _parse_edited(v) -> tuple[dict | None, str | None]:
    if v is None or v == "":
        return None, None
    if isinstance(v, dict):
        return v, None
    try:
        e = json.loads(v)
    except (TypeError, json.JSONDecodeError):
        return None, "'edited' is not a JSON object"
    if not isinstance(e, dict):
        return None, "'edited' is not a JSON object"
    return e, None


def _parse_time(v) -> tuple[datetime | None, str | None]:
    if v is None or v == "":
        return None, None
    try:
        t = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return None, f"'decided_at' is not an ISO date-time: {v!r}"
    if t.tzinfo is not None:
        from datetime import timezone
        t = t.astimezone(timezone.utc).replace(tzinfo=None)
    return t, None


def check_file(conn: duckdb.DuckDBPyConnection, path: str | Path) -> list[dict]:
    """Every decision of the file, checked against this store; raises ImportProblems
    listing every problem (nothing is written here)."""
    path = Path(path)
    recs, problems = _records(path)
    sql = items_with_state_sql(conn)
    keys = sorted({str(r.get("key") or "").strip() for _, r in recs if r.get("key")})
    known: dict[str, dict] = {}
    if keys:
        conn.execute("CREATE OR REPLACE TEMP TABLE _hl_import_keys (k VARCHAR)")
        conn.executemany("INSERT INTO _hl_import_keys VALUES (?)", [[k] for k in keys])
        df = conn.execute(f"SELECT i.* FROM ({sql}) i JOIN _hl_import_keys k ON k.k = i.item_key").df()
        conn.execute("DROP TABLE _hl_import_keys")
        for row in df.drop_duplicates("item_key").to_dict(orient="records"):
            known[row["item_key"]] = row
    out: list[dict] = []
    seen: dict[str, tuple[int, str, str]] = {}
    taken: set[str] = set()
    for n, r in recs:
        key = str(r.get("key") or "").strip()
        state = str(r.get("state") or "").strip().lower()
        errs = []
        if not key:
            errs.append("no 'key'")
        if state not in DECISIONS:
            errs.append(f"'state' must be one of {', '.join(DECISIONS)}, not {r.get('state')!r}")
        edited, e = _parse_edited(r.get("edited"))
        if e:
            errs.append(e)
        at, e = _parse_time(r.get("decided_at"))
        if e:
            errs.append(e)
        kind = r.get("kind")
        if kind is not None and kind not in KINDS:
            errs.append(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        item = known.get(key) if key else None
        if key and item is None:
            errs.append(f"unknown key {key} (no such item in this store: ingest its article first)")
        if item is not None:
            if kind is not None and kind != item["kind"]:
                errs.append(f"key {key[:12]} is a {item['kind']} here, the file says {kind}")
            if state == "edited" and not edited:
                errs.append("an 'edited' decision needs the corrected fields in 'edited'")
            if state in ("accepted", "rejected") and edited:
                errs.append(f"corrected fields go with an edit only, not with {state}")
            if edited:
                bad = set(edited) - EDITABLE[item["kind"]]
                if bad:
                    errs.append(f"cannot edit {sorted(bad)} of a {item['kind']} "
                                f"(editable: {sorted(EDITABLE[item['kind']])})")
        if key and not errs:
            sig = json.dumps([state, edited], sort_keys=True, default=str)
            if key in seen and seen[key][1] != sig:
                first = seen[key]
                errs.append(f"conflicting decisions for key {key[:12]}: {state} here, {first[2]} on line {first[0]}")
            seen.setdefault(key, (n, sig, state))
        if errs:
            problems.extend((n, m) for m in errs)
            continue
        if key in taken:
            continue  # the same decision twice: once is enough
        taken.add(key)
        out.append({"line": n, "key": key, "item": item, "state": state, "edited": edited, "at": at,
                    "by": (r.get("decided_by") or None), "why": (r.get("why") or None)})
    if problems:
        raise ImportProblems(str(path), sorted(problems))
    return out


def import_decisions(conn: duckdb.DuckDBPyConnection, path: str | Path) -> ImportReport:
    """Apply the decisions of ``path`` to this store: all of them in one transaction, or none."""
    ensure_schema(conn)
    rows = check_file(conn, path)
    report = ImportReport(str(path))
    current = {k: (s, e) for k, s, e in conn.execute(
        "SELECT item_key, state, edited FROM review_decisions").fetchall()}
    conn.begin()
    try:
        for r in rows:
            ed = json.dumps(r["edited"], ensure_ascii=False, default=str) if r["edited"] else None
            if current.get(r["key"]) == (r["state"], ed):
                report.unchanged += 1
                continue
            record(conn, r["item"], r["state"], edited=r["edited"], by=r["by"], why=r["why"], at=r["at"])
            report.applied += 1
            report.by_state[r["state"]] = report.by_state.get(r["state"], 0) + 1
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return report
