"""Scenario files (TOML): start world, horizon, parameters, shocks and hypotheses.

Loading validates everything and reports a mistake as one line with the file, the line
and the field, and a did-you-mean suggestion (difflib) where a name is misspelled::

    war_drain.toml:14: parameters.war_drain_securty: unknown parameter (did you mean 'war_drain_security'?)

The format is documented in docs/simulate.md.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from heartland.errors import UserError
from heartland.simulate.distributions import DIST_NAMES, Distribution, Fixed
from heartland.simulate.params import PARAMS
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

METRICS = ("share", "influence", "bandwidth", "overall", "capacity", "division_of_labour", "parity",
           "dissatisfaction", "friction")
#: metrics of one patron; the others are China-Russia measures of the measure stage
PATRON_METRICS = ("share", "influence", "bandwidth", "overall", "capacity")
SHOCK_KINDS = ("crisis", "war_start", "war_end", "sanctions", "corridor_open", "attack", "leverage",
               "partnership", "offer", "withdrawal")


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(map(str, options))})"


def _code(value: str, axis: tuple[str, ...], what: str, extra: tuple[str, ...] = ()) -> str:
    v = str(value).upper()
    if v in axis or v in extra:
        return v
    raise ValueError(f"unknown {what} {value!r}{_suggest(v, axis + extra)}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    """The seed article and expert a scenario encodes."""

    seed: str = Field(pattern=r"^\d{3}$")
    url: str
    expert: str
    affiliation: str = ""
    claim: str  # the hypothesis in our own words (no article text)


class Meta(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    description: str = ""
    start: Literal["bundled", "builtin"] = "bundled"
    start_year: int | None = None
    horizon: int = Field(ge=1900, le=2200)
    step: Literal["year", "quarter"] = "year"
    runs: int = Field(default=500, ge=1, le=1_000_000)
    sources: list[Source] = Field(default_factory=list)


# --- dates ---------------------------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_to_year(value: str | float | int) -> float:
    """'2026-07-01' -> 2026.496...; '2026' -> 2026.0; numbers pass through."""
    if isinstance(value, (int, float)):
        return float(value)
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"bad date {value!r} (expected YYYY, YYYY-MM, YYYY-MM-DD or a number)")
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    day = date(y, mo, d)
    start, end = date(y, 1, 1), date(y + 1, 1, 1)
    return y + (day - start).days / (end - start).days


When = Union[str, float, Distribution]


class _Shock(_Strict):
    date: When
    note: str = ""

    @field_validator("date")
    @classmethod
    def _date(cls, v):
        if isinstance(v, str):
            date_to_year(v)
        return v


class _Targets(BaseModel):
    @field_validator("targets", mode="before", check_fields=False)
    @classmethod
    def _targets(cls, v):
        v = [v] if isinstance(v, str) else v
        return [_code(x, TARGETS, "target") for x in v]


def _patron_validator(field: str):
    @field_validator(field, mode="before", check_fields=False)
    @classmethod
    def _p(cls, v):
        if v is None:
            return None
        if isinstance(v, list):
            return [_code(x, PATRONS, "patron") for x in v]
        return _code(v, PATRONS, "patron")
    return _p


def _domains_validator():
    @field_validator("domains", mode="before", check_fields=False)
    @classmethod
    def _d(cls, v):
        v = [v] if isinstance(v, str) else v
        out = []
        for x in v:
            if x not in DOMAINS:
                raise ValueError(f"unknown domain {x!r}{_suggest(x, DOMAINS)}")
            out.append(x)
        return out
    return _d


class Crisis(_Shock, _Targets):
    kind: Literal["crisis"]
    targets: list[str]
    intensity: float | Distribution | None = None  # default: parameter crisis_intensity
    intervention: bool = True  # may the alliance patron intervene?


class WarStart(_Shock):
    kind: Literal["war_start"]
    patron: str = "RUS"
    v_patron = _patron_validator("patron")


class WarEnd(WarStart):
    kind: Literal["war_end"]


class Sanctions(_Shock):
    kind: Literal["sanctions"]
    patron: str = "RUS"
    drag: float | None = Field(default=None, ge=0, le=1)  # new yearly economic drag
    level: float = Field(default=1.0, gt=0, le=2)  # one-off factor on economic capacity
    v_patron = _patron_validator("patron")


class CorridorOpen(_Shock, _Targets):
    kind: Literal["corridor_open"]
    name: str
    patrons: list[str]
    targets: list[str]
    boost: float | Distribution = 0.1  # connectivity bandwidth added
    v_patron = _patron_validator("patrons")


class Attack(_Shock, _Targets):
    kind: Literal["attack"]
    targets: list[str] = Field(default_factory=list)
    intensity: float = Field(default=0.5, ge=0)
    patron: str | None = None  # whose security credibility suffers
    credibility_loss: float = Field(default=0.0, ge=0, le=1)
    v_patron = _patron_validator("patron")


class Leverage(_Shock, _Targets):
    kind: Literal["leverage"]
    patron: str = "RUS"
    targets: list[str] = Field(default_factory=list)  # empty: the patron's economic union
    domains: list[str] = Field(default_factory=lambda: ["economy", "politics"])
    strength: float | Distribution | None = None  # default: parameter gas_leverage
    v_patron = _patron_validator("patron")
    v_domains = _domains_validator()


class Partnership(_Shock):
    kind: Literal["partnership"]
    coordination: float = Field(ge=0, le=1)


class Offer(_Shock, _Targets):
    kind: Literal["offer"]
    patron: str
    targets: list[str]
    domains: list[str]
    utility: float | Distribution
    v_patron = _patron_validator("patron")
    v_domains = _domains_validator()


class Withdrawal(_Shock, _Targets):
    """A patron pulls out: a base closed, troops or a programme withdrawn (docs/simulate.md, Shocks)."""

    kind: Literal["withdrawal"]
    patron: str
    targets: list[str]
    domains: list[str] = Field(default_factory=lambda: ["security"])  # a base closure: security ties
    fraction: float | Distribution = Field(default=1.0)  # share of the patron's ties there withdrawn, 0..1
    v_patron = _patron_validator("patron")
    v_domains = _domains_validator()

    @field_validator("fraction")
    @classmethod
    def _fraction(cls, v):
        if isinstance(v, (int, float)) and not 0 <= v <= 1:
            raise ValueError(f"fraction must be between 0 and 1, got {v}")
        return v


Shock = Annotated[Union[Crisis, WarStart, WarEnd, Sanctions, CorridorOpen, Attack, Leverage, Partnership, Offer,
                        Withdrawal],
                  Field(discriminator="kind")]


class Hypothesis(_Strict):
    """A measurable statement, e.g. China's security influence over TJK exceeds Russia's by 2030."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    statement: str
    metric: Literal["share", "influence", "bandwidth", "overall", "capacity", "division_of_labour", "parity",
                    "dissatisfaction", "friction"]
    patron: str | None = None  # for share, influence, bandwidth, overall, capacity
    target: str | None = None  # a target code or C5 (mean over the five); none for capacity
    domain: str | None = None  # none for overall
    versus: str | None = None  # another patron, or "start" (the same quantity at the start)
    factor: float = Field(default=1.0, gt=0)  # compare with factor x versus (e.g. 2 = "twice")
    threshold: float | None = None
    op: Literal[">", "<", ">=", "<="] = ">"
    when: Literal["by", "at", "throughout"] = "by"
    year: int
    expert: str = ""
    seed: str = ""

    v_patron = _patron_validator("patron")

    @field_validator("target", mode="before")
    @classmethod
    def _t(cls, v):
        return None if v is None else _code(v, TARGETS, "target", ("C5",))

    @field_validator("versus", mode="before")
    @classmethod
    def _v(cls, v):
        if v is None or str(v).lower() == "start":
            return None if v is None else "start"
        return _code(v, PATRONS, "patron", ("START",))

    @field_validator("domain", mode="before")
    @classmethod
    def _dom(cls, v):
        if v is not None and v not in DOMAINS:
            raise ValueError(f"unknown domain {v!r}{_suggest(v, DOMAINS)}")
        return v

    @model_validator(mode="after")
    def _shape(self):
        if (self.versus is None) == (self.threshold is None):
            raise ValueError("give exactly one of 'versus' (a patron or 'start') and 'threshold'")
        if self.metric not in PATRON_METRICS:
            if self.patron is not None or self.versus not in (None, "start"):
                raise ValueError(f"metric {self.metric!r} is a China-Russia measure: no 'patron', and "
                                 "'versus' may only be 'start'")
            if self.metric == "division_of_labour" and self.target is None:
                raise ValueError("metric 'division_of_labour' needs a target (a code or C5)")
            if self.metric == "parity" and self.domain is None:
                raise ValueError("metric 'parity' needs a domain")
            return self
        if self.patron is None:
            raise ValueError(f"metric {self.metric!r} needs a patron")
        if self.metric == "capacity":
            if self.domain is None:
                raise ValueError("metric 'capacity' needs a domain")
        else:
            if self.target is None:
                raise ValueError(f"metric {self.metric!r} needs a target (a code or C5)")
            if self.metric != "overall" and self.domain is None:
                raise ValueError(f"metric {self.metric!r} needs a domain")
        return self


class Scenario(_Strict):
    scenario: Meta
    parameters: dict[str, Any] = Field(default_factory=dict)
    shocks: list[Shock] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    # filled by the loader, not from the file
    path: str = Field(default="", exclude=True)
    text: str = Field(default="", exclude=True)
    resolved: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def dt(self) -> float:
        return 1.0 if self.scenario.step == "year" else 0.25

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def uncertain(self) -> dict[str, Any]:
        """Parameters given as distributions (the inputs of sensitivity analysis)."""
        return {k: v for k, v in self.resolved.items() if not isinstance(v, Fixed)}


_DIST_ADAPTER = TypeAdapter(Distribution)


def _parse_parameters(raw: dict[str, Any]) -> dict[str, Any]:
    """Numbers or distribution tables; errors carry ('parameters', name, ...) locations."""
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in PARAMS:
            raise _FieldError(("parameters", name), f"unknown parameter{_suggest(name, PARAMS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, dict)):
            raise _FieldError(("parameters", name), "expected a number or a distribution table "
                                                    "like { dist = \"uniform\", low = 0.1, high = 0.3 }")
        if isinstance(value, dict):
            kind = value.get("dist")
            if kind not in DIST_NAMES:
                raise _FieldError(("parameters", name, "dist"),
                                  f"unknown distribution {kind!r}{_suggest(kind, DIST_NAMES)}")
            try:
                out[name] = _DIST_ADAPTER.validate_python(value)
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ("parameters", name) + tuple(x for x in err["loc"] if x != kind)
                raise _FieldError(loc, _message(err, exc)) from None
        else:
            out[name] = Fixed(value=float(value))
    return out


class _FieldError(Exception):
    def __init__(self, loc: tuple, message: str):
        self.loc, self.message = loc, message
        super().__init__(message)


def _message(err: dict, exc: ValidationError | None = None) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    msg = err.get("msg", "invalid value")
    return msg.removeprefix("Value error, ")


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names valid at ``loc`` (for did-you-mean on unknown fields)."""
    section = loc[0] if loc else None
    if section == "scenario":
        if len(loc) >= 4 and loc[1] == "sources":
            return list(Source.model_fields)
        return list(Meta.model_fields)
    if section == "hypotheses":
        return list(Hypothesis.model_fields)
    if section == "shocks" and len(loc) >= 3:
        kinds = {m.model_fields["kind"].annotation.__args__[0]: m
                 for m in (Crisis, WarStart, WarEnd, Sanctions, CorridorOpen, Attack, Leverage, Partnership, Offer,
                           Withdrawal)}
        m = kinds.get(loc[2])
        return list(m.model_fields) if m else []
    return ["scenario", "parameters", "shocks", "hypotheses"]


# --- line numbers ------------------------------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?")
_KEY = re.compile(r"""^\s*("[^"]+"|[A-Za-z0-9_-]+)\s*=""")


def locate(text: str, loc: tuple) -> int | None:
    """Best line number (1-based) in the TOML ``text`` for a validation location."""
    want = [x for x in loc]
    counters: dict[str, int] = {}
    header: list = []
    best, best_len = None, 0
    for no, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            name = tuple(m.group(2).strip('"').split("."))
            if m.group(1) == "[[":
                key = ".".join(name)
                counters[key] = counters.get(key, -1) + 1
                header = list(name) + [counters[key]]
                # nested arrays such as [[scenario.sources]] are indexed under their parent
            else:
                header = list(name)
            path = header
        else:
            km = _KEY.match(line)
            if not km:
                continue
            path = header + [km.group(1).strip('"')]
            # inline-table keys on the same line: key = { a = 1, b = 2 }
            inline = re.findall(r"[{,]\s*([A-Za-z0-9_]+)\s*=", line)
            for sub in inline:
                n = _match_len(path + [sub], want)
                if n > best_len:
                    best, best_len = no, n
        n = _match_len(path, want)
        if n > best_len:
            best, best_len = no, n
    return best


def _match_len(path: list, want: list) -> int:
    """How many leading elements of ``want`` the line's path matches (skipping union tags)."""
    i = j = 0
    while i < len(path) and j < len(want):
        if path[i] == want[j]:
            i += 1
            j += 1
        elif isinstance(want[j], str) and want[j] in SHOCK_KINDS + DIST_NAMES and (j == 0 or path[i - 1:i] != [want[j]]):
            j += 1  # pydantic puts the discriminator value in the location; the file doesn't
        else:
            return 0 if i < len(path) else j
    return j if i == len(path) else 0


def _fail(path: str, text: str, loc: tuple, message: str) -> UserError:
    line = locate(text, loc)
    field = ".".join(str(x) for x in loc if not (isinstance(x, str) and x in SHOCK_KINDS and loc.index(x) == 2))
    where = f"{path}:{line}" if line else path
    return UserError(f"{field}: {message}" if field else message, path=where)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file; raise UserError naming file, line and field."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("no such scenario file", path=str(p), hint=_bundled_hint(p.stem)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read: {exc}", path=str(p)) from None
    return parse_scenario(text, str(p))


def _bundled_hint(stem: str) -> str | None:
    from heartland.simulate.bundled import bundled_names

    names = bundled_names()
    close = difflib.get_close_matches(stem, names, n=1)
    return f"did you mean the bundled scenario {close[0]!r}?" if close else None


def parse_scenario(text: str, path: str = "<scenario>") -> Scenario:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        raise UserError(f"not valid TOML: {exc}", path=where) from None
    try:
        for key in raw:
            if key not in ("scenario", "parameters", "shocks", "hypotheses"):
                raise _FieldError((key,), f"unknown section{_suggest(key, ('scenario', 'parameters', 'shocks', 'hypotheses'))}")
        resolved = _parse_parameters(raw.get("parameters", {}))
        for i, h in enumerate(raw.get("shocks", [])):
            if isinstance(h, dict) and h.get("kind") not in SHOCK_KINDS:
                raise _FieldError(("shocks", i, "kind"), f"unknown shock kind {h.get('kind')!r}{_suggest(h.get('kind'), SHOCK_KINDS)}")
        sc = Scenario.model_validate(raw)
    except _FieldError as exc:
        raise _fail(path, text, exc.loc, exc.message) from None
    except ValidationError as exc:
        # a misspelled field shows up twice (unknown + missing): report the unknown one, with its suggestion
        errs = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
        err = errs[0]
        loc = tuple(err["loc"])
        msg = _message(err, exc)
        if err.get("type") == "extra_forbidden":
            msg += _suggest(loc[-1], [f for f in _allowed_fields(Scenario, loc) if f not in ("path", "text", "resolved")])
        elif err.get("type") == "literal_error":
            exp = err.get("ctx", {}).get("expected", "")
            opts = re.findall(r"'([^']*)'", exp)
            msg = f"invalid value {err.get('input')!r}{_suggest(err.get('input'), opts)}" if opts else msg
        raise _fail(path, text, loc, msg) from None
    if sc.scenario.start_year is not None and sc.scenario.horizon <= sc.scenario.start_year:
        raise _fail(path, text, ("scenario", "horizon"), "must be after start_year")
    sc.path, sc.text, sc.resolved = path, text, resolved
    return sc
