"""Issue files: actors with capability, position and salience on one issue.

Two formats, sniffed from the content (not the file name):

* **CSV** with a header row: ``actor, capability, position, salience`` (any case), and
  optionally ``<field>_low`` / ``<field>_high`` for an interval, ``<field>_note``, ``id``,
  ``note``. Leading ``# key: value`` comment lines may set the issue's ``title``,
  ``question``, ``low``, ``high``, ``scale`` and ``source``. The public replications'
  ``ExampleActors.csv`` reads as is.
* **TOML** with an ``[issue]`` table, ``[evidence.<id>]`` tables (seed passages) and
  ``[[actor]]`` tables whose fields may carry ``<field>_range = [low, high]``,
  ``<field>_note`` and ``<field>_evidence = ["<evidence id>", ...]``.
  ``capability = "world"`` takes the world stage's cited measure, interval and note
  (``heartland.world.capability_measures``) instead of a number.

Saliences are probabilities in [0, 1]; a file whose saliences exceed 1 is read on the
0-100 scale (as in the paper's Table 1) and divided by 100 (``Issue.salience_scale``
records which). Any mistake raises :class:`heartland.errors.UserError` naming the file,
the line and the field.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from heartland import paths
from heartland.errors import UserError

ISSUES_DIR = paths.DATA_DIR / "issues"
FIELDS = ("capability", "position", "salience")
DISTS = ("triangular", "uniform", "normal")
WORLD = "world"   # capability = "world": take the world stage's cited measure


class Evidence(BaseModel):
    """A seed passage an input rests on.

    ``bytes`` are offsets into the raw seed file; ``span`` (when filled) is a
    character span in the corpus stage's ``Article.text``. ``key`` is a short term
    that occurs inside the passage (a check that the offsets point where they
    should); ``gist`` is our own paraphrase, never the article's sentence.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    seed: str
    url: str
    bytes: tuple[int, int]
    span: tuple[int, int] | None = None
    key: str = ""
    gist: str = ""


class Value(BaseModel):
    """A point value with an optional interval and the reasoning behind it."""

    model_config = ConfigDict(extra="forbid")

    value: float
    low: float | None = None
    high: float | None = None
    dist: str | None = None   # triangular | uniform | normal; None = the run's default
    note: str = ""
    evidence: list[str] = Field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low


class ActorInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    capability: Value
    position: Value
    salience: Value


class Issue(BaseModel):
    """One contested issue, ready for the model."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: str = ""
    question: str = ""
    scale: tuple[float, float] | None = None
    low_label: str = ""
    high_label: str = ""
    salience_scale: float = 1.0
    capability_basis: str = ""
    source: str = ""
    actors: list[ActorInput]
    evidence: dict[str, Evidence] = Field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.actors]

    def arrays(self) -> tuple[list[float], list[float], list[float]]:
        """Point values: positions, capabilities, saliences (0-1)."""
        return ([a.position.value for a in self.actors], [a.capability.value for a in self.actors],
                [a.salience.value for a in self.actors])

    def with_capabilities(self, capabilities: Mapping[str, float]) -> "Issue":
        """A copy whose capabilities come from ``capabilities`` (actor id -> value)
        where given: the hook through which the world stage's capability measures
        replace the curated ones."""
        actors = []
        for a in self.actors:
            if a.id in capabilities:
                cap = Value(value=float(capabilities[a.id]),
                            note=f"from capability measure (replacing curated {a.capability.value:g})")
                a = a.model_copy(update={"capability": cap})
            actors.append(a)
        return self.model_copy(update={"actors": actors})


def bundled_issues() -> dict[str, Path]:
    """Bundled issue files by name (file stem)."""
    out: dict[str, Path] = {}
    if ISSUES_DIR.is_dir():
        for p in sorted(ISSUES_DIR.iterdir()):
            if p.suffix in (".toml", ".csv"):
                out.setdefault(p.stem, p)
    return out


def resolve_issue(spec: str | Path) -> Path:
    """A bundled issue name or a path to an issue file."""
    p = Path(spec)
    if p.is_file():
        return p
    bundled = bundled_issues()
    if str(spec) in bundled:
        return bundled[str(spec)]
    if p.suffix or "/" in str(spec):
        raise UserError("no such issue file", path=str(spec))
    raise UserError(f"unknown issue {str(spec)!r}; bundled issues: {', '.join(bundled) or 'none'}")


def load_issue(spec: str | Path, capabilities: Mapping[str, float] | None = None) -> Issue:
    """Read an issue file (CSV or TOML, sniffed) or a bundled issue by name."""
    path = resolve_issue(spec)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    if not text.strip():
        raise UserError("empty issue file", path=str(path))
    issue = _parse_toml(text, path) if _looks_like_toml(text) else _parse_csv(text, path)
    _check(issue, path, text)
    return issue.with_capabilities(capabilities) if capabilities else issue


def issue_to_csv(issue: Issue) -> str:
    """The issue's actors as a CSV issue file (values, ranges and notes; the issue's
    metadata and evidence tables stay in TOML). Saliences are written on 0-1."""
    buf = io.StringIO()
    cols = ["id", "actor"]
    for f in FIELDS:
        cols += [f, f"{f}_low", f"{f}_high", f"{f}_dist", f"{f}_note"]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for a in issue.actors:
        row: list[object] = [a.id, a.name]
        for f in FIELDS:
            v: Value = getattr(a, f)
            row += [repr(v.value), "" if v.low is None else repr(v.low), "" if v.high is None else repr(v.high),
                    v.dist or "", v.note]
        w.writerow(row)
    return buf.getvalue()


# --- sniffing -------------------------------------------------------------------------

_TOML_HINT = re.compile(r"^\s*(\[\[?[A-Za-z_][\w.]*\]\]?|[A-Za-z_][\w-]*\s*=)", re.M)


def _looks_like_toml(text: str) -> bool:
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    return bool(_TOML_HINT.match(first))


# --- CSV ------------------------------------------------------------------------------

def _num(raw: str, where: str, field: str) -> float:
    try:
        v = float(raw)
    except (TypeError, ValueError):
        raise UserError(f"field '{field}': expected a number, got {raw!r}", path=where) from None
    if v != v or v in (float("inf"), float("-inf")):
        raise UserError(f"field '{field}': expected a finite number, got {raw!r}", path=where)
    return v


_META_KEYS = {"name", "title", "question", "low", "high", "source", "scale"}


def _csv_preamble(text: str) -> tuple[int, dict[str, str]]:
    """Leading ``# key: value`` comment lines (issue metadata) and how many lines they take."""
    meta: dict[str, str] = {}
    lines = text.splitlines()
    skip = 0
    for ln in lines:
        st = ln.strip()
        if st.startswith("#"):
            key, sep, val = st[1:].partition(":")
            if sep and key.strip().lower() in _META_KEYS:
                meta[key.strip().lower()] = val.strip()
            skip += 1
        elif not st:
            skip += 1
        else:
            break
    return skip, meta


def _parse_csv(text: str, path: Path) -> Issue:
    skip, meta = _csv_preamble(text)
    body = "\n".join(text.splitlines()[skip:])
    reader = csv.reader(io.StringIO(body))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UserError(f"line {reader.line_num + skip}: malformed CSV ({exc})", path=str(path)) from None
    if not rows:
        raise UserError("no header row", path=str(path))
    header = [h.strip().lower() for h in rows[0]]
    if "actor" not in header and "name" in header:
        header[header.index("name")] = "actor"
    missing = [f for f in ("actor", *FIELDS) if f not in header]
    if missing:
        raise UserError(f"line {skip + 1}: missing column(s) {', '.join(missing)} "
                        f"(expected actor, capability, position, salience)", path=str(path))
    col = {h: i for i, h in enumerate(header)}
    actors: list[ActorInput] = []
    for lineno, row in enumerate(rows[1:], start=skip + 2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}:{lineno}"
        if len(row) < len(header):
            raise UserError(f"expected {len(header)} fields, found {len(row)}", path=where)

        def cell(name: str) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        name = cell("actor")
        if not name:
            raise UserError("field 'actor': empty", path=where)
        values = {}
        for f in FIELDS:
            lo, hi = cell(f"{f}_low"), cell(f"{f}_high")
            dist = cell(f"{f}_dist") or None
            if dist is not None and dist not in DISTS:
                raise UserError(f"field '{f}_dist': expected one of {', '.join(DISTS)}, got {dist!r}", path=where)
            values[f] = Value(value=_num(cell(f), where, f),
                              low=_num(lo, where, f"{f}_low") if lo else None,
                              high=_num(hi, where, f"{f}_high") if hi else None, dist=dist,
                              note=cell(f"{f}_note") or (cell("note") if f == "position" else ""))
        actors.append(ActorInput(id=cell("id") or name, name=name, **values))
    scale = None
    if "scale" in meta:
        parts = [p.strip() for p in meta["scale"].strip("[]").split(",")]
        if len(parts) != 2:
            raise UserError("header comment 'scale': expected 'low, high'", path=str(path))
        scale = (_num(parts[0], str(path), "scale"), _num(parts[1], str(path), "scale"))
    return _scaled(Issue(name=meta.get("name", path.stem), title=meta.get("title", ""),
                         question=meta.get("question", ""), low_label=meta.get("low", ""),
                         high_label=meta.get("high", ""), source=meta.get("source", ""), scale=scale,
                         actors=actors))


# --- TOML -----------------------------------------------------------------------------

def _toml_line(text: str, actor_index: int | None, field: str | None) -> int:
    """Best line number for an actor's field (tomllib reports none for values)."""
    lines = text.splitlines()
    start, seen = 0, -1
    if actor_index is not None:
        for i, ln in enumerate(lines):
            if ln.strip().startswith("[[actor]]"):
                seen += 1
                if seen == actor_index:
                    start = i
                    break
    if field:
        pat = re.compile(rf"^\s*{re.escape(field)}\s*=")
        for i in range(start, len(lines)):
            if i > start and actor_index is not None and lines[i].strip().startswith("["):
                break
            if pat.match(lines[i]):
                return i + 1
    return start + 1


def _parse_toml(text: str, path: Path) -> Issue:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{m.group(1)}" if m else str(path)
        raise UserError(f"invalid TOML: {str(exc).split(' (at')[0]}", path=where) from None

    def fail(msg: str, idx: int | None, field: str | None) -> UserError:
        return UserError(msg, path=f"{path}:{_toml_line(text, idx, field)}")

    meta = doc.get("issue", {})
    if not isinstance(meta, dict):
        raise fail("'issue' must be a table", None, "issue")
    evidence: dict[str, Evidence] = {}
    for eid, ev in (doc.get("evidence") or {}).items():
        try:
            evidence[eid] = Evidence(id=eid, **ev)
        except Exception as exc:  # pydantic ValidationError: name the first field
            field = _first_field(exc)
            line = next((i for i, ln in enumerate(text.splitlines(), 1)
                         if ln.strip() == f"[evidence.{eid}]"), 1)
            raise UserError(f"evidence '{eid}': field '{field}': missing or invalid",
                            path=f"{path}:{line}") from None
    rows = doc.get("actor")
    if not isinstance(rows, list) or not rows:
        raise fail("no [[actor]] tables", None, None)
    actors: list[ActorInput] = []
    world: dict[str, tuple[float, float, float, str]] | None = None
    for idx, row in enumerate(rows):
        name = row.get("name") or row.get("id")
        if not isinstance(name, str) or not name.strip():
            raise fail("field 'name': missing", idx, "name")
        values = {}
        for f in FIELDS:
            if f not in row:
                raise fail(f"actor '{name}': field '{f}': missing", idx, None)
            v = row[f]
            if f == "capability" and v == WORLD:
                if world is None:
                    world = _world_capabilities(fail, idx)
                values[f] = _world_value(row, str(row.get("id", name)), name, world, evidence, fail, idx)
                continue
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise fail(f"actor '{name}': field '{f}': expected a number, got {v!r}", idx, f)
            rng = row.get(f"{f}_range")
            low = high = None
            if rng is not None:
                if (not isinstance(rng, list) or len(rng) != 2
                        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in rng)):
                    raise fail(f"actor '{name}': field '{f}_range': expected [low, high]", idx, f"{f}_range")
                low, high = float(rng[0]), float(rng[1])
            ev = row.get(f"{f}_evidence", [])
            if not isinstance(ev, list) or not all(isinstance(e, str) for e in ev):
                raise fail(f"actor '{name}': field '{f}_evidence': expected a list of evidence ids",
                           idx, f"{f}_evidence")
            for e in ev:
                if e not in evidence:
                    raise fail(f"actor '{name}': field '{f}_evidence': unknown evidence id {e!r}",
                               idx, f"{f}_evidence")
            dist = row.get(f"{f}_dist")
            if dist is not None and dist not in DISTS:
                raise fail(f"actor '{name}': field '{f}_dist': expected one of {', '.join(DISTS)}, got {dist!r}",
                           idx, f"{f}_dist")
            values[f] = Value(value=float(v), low=low, high=high, dist=dist, note=str(row.get(f"{f}_note", "")),
                              evidence=list(ev))
        unknown = set(row) - {"id", "name", *FIELDS, *(f"{f}_{s}" for f in FIELDS
                                                       for s in ("range", "note", "evidence", "dist"))}
        if unknown:
            bad = sorted(unknown)[0]
            raise fail(f"actor '{name}': unknown field '{bad}'", idx, bad)
        actors.append(ActorInput(id=str(row.get("id", name)), name=str(name), **values))
    scale = meta.get("scale")
    issue = Issue(name=str(meta.get("name", path.stem)), title=str(meta.get("title", "")),
                  question=str(meta.get("question", "")),
                  scale=tuple(scale) if isinstance(scale, list) and len(scale) == 2 else None,
                  low_label=str(meta.get("low", "")), high_label=str(meta.get("high", "")),
                  capability_basis=str(meta.get("capability_basis", "")),
                  source=str(meta.get("source", "")), actors=actors, evidence=evidence)
    return _scaled(issue)


def _world_capabilities(fail, idx: int) -> dict[str, tuple[float, float, float, str]]:
    from heartland.forecast.capability import world_capability_values

    world = world_capability_values()
    if world is None:
        raise fail('field \'capability\': "world" needs the world stage\'s capability measures '
                   "(heartland.world.capability_measures), which are not available", idx, "capability")
    return world


def _world_value(row: dict, aid: str, name: str, world: dict[str, tuple[float, float, float, str]],
                 evidence: Mapping[str, Evidence], fail, idx: int) -> Value:
    """``capability = "world"``: the world stage's cited measure, interval and note."""
    if "capability_range" in row:
        raise fail(f"actor '{name}': field 'capability_range': not allowed with capability = \"world\" "
                   "(the interval comes from the measures)", idx, "capability_range")
    if aid not in world:
        raise fail(f"actor '{name}': field 'capability': the world stage has no capability measure for id "
                   f"{aid!r} (have {', '.join(sorted(world))})", idx, "capability")
    value, low, high, note = world[aid]
    ev = row.get("capability_evidence", [])
    extra = str(row.get("capability_note", ""))
    dist = row.get("capability_dist")
    if dist is not None and dist not in DISTS:
        raise fail(f"actor '{name}': field 'capability_dist': expected one of {', '.join(DISTS)}, got {dist!r}",
                   idx, "capability_dist")
    if not isinstance(ev, list) or not all(isinstance(e, str) for e in ev):
        raise fail(f"actor '{name}': field 'capability_evidence': expected a list of evidence ids",
                   idx, "capability_evidence")
    for e in ev:
        if e not in evidence:
            raise fail(f"actor '{name}': field 'capability_evidence': unknown evidence id {e!r}",
                       idx, "capability_evidence")
    return Value(value=value, low=low, high=high, dist=dist, note=note + (f"; {extra}" if extra else ""),
                 evidence=list(ev))


def _first_field(exc: Exception) -> str:
    errs = getattr(exc, "errors", None)
    if callable(errs):
        e = errs()
        if e and e[0].get("loc"):
            return str(e[0]["loc"][0])
    return "?"


# --- checks ---------------------------------------------------------------------------

def _scaled(issue: Issue) -> Issue:
    """Read saliences on 0-100 when any exceeds 1 (the paper's Table 1 scale)."""
    if not any(a.salience.value > 1 or (a.salience.high or 0) > 1 for a in issue.actors):
        return issue
    actors = []
    for a in issue.actors:
        s = a.salience
        s = s.model_copy(update={"value": s.value / 100,
                                 "low": None if s.low is None else s.low / 100,
                                 "high": None if s.high is None else s.high / 100})
        actors.append(a.model_copy(update={"salience": s}))
    return issue.model_copy(update={"actors": actors, "salience_scale": 100.0})


def _check(issue: Issue, path: Path, text: str) -> None:
    is_toml = _looks_like_toml(text)
    csv_lines = _csv_data_lines(text) if not is_toml else []

    def where(i: int, field: str) -> str:
        if is_toml:
            return f"{path}:{_toml_line(text, i, field)}"
        return f"{path}:{csv_lines[i] if i < len(csv_lines) else '?'}"

    if len(issue.actors) < 2:
        raise UserError("an issue needs at least two actors", path=str(path))
    seen: set[str] = set()
    for i, a in enumerate(issue.actors):
        if a.id in seen:
            raise UserError(f"actor '{a.name}': duplicate id {a.id!r}", path=where(i, "id"))
        seen.add(a.id)
        for f in FIELDS:
            v: Value = getattr(a, f)
            if f == "capability" and v.value < 0:
                raise UserError(f"actor '{a.name}': field 'capability': must be >= 0", path=where(i, f))
            if f == "salience" and not 0 <= v.value <= 1:
                raise UserError(f"actor '{a.name}': field 'salience': must lie in [0, 1] (or 0-100)",
                                path=where(i, f))
            if (v.low is None) != (v.high is None):
                raise UserError(f"actor '{a.name}': field '{f}': give both ends of the range",
                                path=where(i, f"{f}_range"))
            if v.low is not None and not v.low <= v.value <= v.high:
                raise UserError(f"actor '{a.name}': field '{f}': value {v.value:g} outside its range "
                                f"[{v.low:g}, {v.high:g}]", path=where(i, f"{f}_range"))
            if f == "salience" and v.low is not None and not (0 <= v.low and v.high <= 1):
                raise UserError(f"actor '{a.name}': field 'salience_range': must lie in [0, 1]",
                                path=where(i, "salience_range"))
            if f == "capability" and v.low is not None and v.low < 0:
                raise UserError(f"actor '{a.name}': field 'capability_range': must be >= 0",
                                path=where(i, "capability_range"))
    if sum(a.capability.value * a.salience.value for a in issue.actors) <= 0:
        raise UserError("every actor has zero capability or salience; nothing to weigh", path=str(path))


def _csv_data_lines(text: str) -> list[int]:
    skip, _ = _csv_preamble(text)
    out = []
    for lineno, ln in enumerate(text.splitlines(), start=1):
        if lineno > skip + 1 and ln.strip().strip(","):
            out.append(lineno)
    return out
