"""The dashboard's FastAPI application: JSON API under /api/ and a static single-page UI.

Safe defaults (see docs/web.md): the store is opened read-only per request; no request
parameter becomes a file path (article ids, country codes and scenario names are checked
against patterns and looked up, never joined onto a directory); query parameters are
validated by pydantic with 4xx answers; errors reach the client as one generic line,
never a stack trace; scenario runs are limited in size and run one at a time.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from heartland import __version__, paths
from heartland.extract.rows import EventPage, FactPage, QuotePage
from heartland.measure.explain import Explanation
from heartland.report import evidence, stages
from heartland.report.readmodel import StoreUnavailable, connect_ro, jsonable, table_columns
from heartland.store.db import StoreDamaged
from heartland.web import review_api
from heartland.web.runs import RunManager, RunRequest
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

log = logging.getLogger("heartland.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
GEO_FILE = paths.DATA_DIR / "geo" / "central_asia.geojson"

#: Largest page of evidence rows one request may ask for.
MAX_PAGE = 500
#: Largest request body accepted (scenario-run requests are tiny JSON objects).
MAX_BODY = 16 * 1024

ArticleId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$", description="16 hex digits")]
Iso3 = Annotated[str, PathParam(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")]
Name = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="a scenario or issue name")]
RunId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{12}$", description="run id")]
Filter = Annotated[str | None, Query(max_length=64, pattern=r"^[\w .:+\-/()]*$")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Year = Annotated[int | None, Query(ge=1990, le=2100)]
Patron = Literal[PATRONS]  # type: ignore[valid-type]
Target = Literal[TARGETS]  # type: ignore[valid-type]
Domain = Literal[DOMAINS + ("overall",)]  # type: ignore[valid-type]


class ReadCache:
    """Answers of read endpoints, serialised, keyed by the store file's state.

    The store changes only when a writer commits, which changes the file (or its WAL):
    its size and modification time. So an answer computed for one state of the file is
    valid until that state changes, and repeated reads skip DuckDB and serialisation.
    """

    def __init__(self, db: Path, size: int = 512):
        self.db, self.size = db, size
        self._data: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def stamp(self) -> tuple:
        out = []
        for p in (self.db, self.db.with_name(self.db.name + ".wal")):
            try:
                st = p.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    async def get(self, key: tuple, compute) -> Response:
        """The cached answer, or ``compute()`` run in the thread pool (it may query DuckDB or
        build the world) so that cache hits never wait behind it."""
        k = (self.stamp(), key)
        with self._lock:
            body = self._data.get(k)
            if body is not None:
                self._data.move_to_end(k)
        if body is None:
            body = await run_in_threadpool(
                lambda: json.dumps(jsonable(compute()), ensure_ascii=False, allow_nan=False).encode("utf-8"))
            with self._lock:
                self._data[k] = body
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
        return Response(body, media_type="application/json")


class RequestLimits:
    """Pure ASGI middleware: refuse over-long URLs and bodies before any parsing.

    A body must announce its length (chunked uploads get 411), at most ``MAX_BODY`` bytes.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            problem = None
            if len(scope.get("raw_path") or b"") > 512 or len(scope.get("query_string") or b"") > 2048:
                problem = (414, "request URL too long")
            else:
                headers = dict(scope.get("headers") or [])
                length = headers.get(b"content-length")
                if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
                    problem = (413, f"request body too large or malformed length (limit {MAX_BODY} bytes)")
                elif length is None and b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                    problem = (411, "a request body must state its Content-Length")
            if problem:
                await JSONResponse({"detail": problem[1]}, status_code=problem[0])(scope, receive, send)
                return
        await self.app(scope, receive, send)


#: Host names every dashboard answers to (besides the address it binds and ``--allow-host``).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_HOST_HEADER = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::[0-9]{1,5})?$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The pages' Content-Security-Policy: everything from the dashboard itself, nothing else
#: (inline style attributes allowed: the charts set colours with them; no inline script).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: FastAPI's API browser (/docs, /redoc) is built from a CDN's Swagger UI / ReDoc and an
#: inline script: its pages get a policy that allows exactly that, and no more.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; font-src https://fonts.gstatic.com; "
            "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin")]


def host_name(host: str | None) -> str | None:
    """The name in a ``Host`` header (``127.0.0.1:8000`` -> ``127.0.0.1``, ``[::1]:8000`` ->
    ``::1``), lower case; None when absent or not a plain host[:port]."""
    if not host or not _HOST_HEADER.match(host):
        return None
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:host.index("]")]
    if not host.startswith("[") and host.count(":") > 1:
        return None
    return name.lower()


def allowed_hosts(bind_host: str | None = None, allow: Iterable[str] = ()) -> frozenset[str]:
    """The names a request may address the dashboard by: the loopback names, the address
    ``serve`` binds (unless it is the any-address, 0.0.0.0 or ::) and each ``--allow-host``."""
    out = set(LOOPBACK_HOSTS)
    if bind_host and bind_host.strip("[]") not in ("0.0.0.0", "::", ""):
        out.add(bind_host.strip("[]").lower())
    out |= {h.strip().strip("[]").lower() for h in allow if h and h.strip()}
    return frozenset(out)


def _netloc(url: str | None) -> str | None:
    if not url or url == "null":
        return None
    try:
        return urlsplit(url).netloc.lower() or None
    except ValueError:
        return None


class SiteGuard:
    """Pure ASGI middleware, outermost: refuse what a foreign web page could make a browser
    send, and harden every answer.

    * ``Host`` must name the dashboard (:func:`allowed_hosts`), else 421: a page on another
      site that rebinds its DNS name to 127.0.0.1 (DNS rebinding) reaches this server with
      its own name as the host and is turned away before any route runs;
    * a state-changing request (any method but GET, HEAD, OPTIONS) must come from the
      dashboard's own page: its ``Origin`` (or, without one, its ``Referer``) must name
      the host it was sent to, else 403 (cross-site request forgery);
    * every answer carries ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
      a same-origin referrer and resource policy, and a restrictive Content-Security-Policy
      (``CSP``; ``DOCS_CSP`` on the API browser pages).
    """

    def __init__(self, app, hosts: frozenset[str]):
        self.app, self.hosts = app, hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        name = host_name(host)
        path = scope.get("path") or ""
        problem = None
        if name is None or name not in self.hosts:
            shown = (name or host or "")[:80]
            problem = (421, f"this dashboard answers only to {', '.join(sorted(self.hosts))}, not to host "
                            f"{shown!r} (start it with --allow-host NAME to add a name)")
        elif scope["type"] == "http" and scope.get("method", "GET").upper() not in SAFE_METHODS:
            origin = headers.get("origin")
            source = _netloc(origin) if origin and origin != "null" else _netloc(headers.get("referer"))
            if source != host.lower():
                problem = (403, "cross-site request refused: a request that changes something must come "
                                "from the dashboard's own page (its Origin or Referer naming this server)")
        csp = (DOCS_CSP if path in ("/docs", "/redoc", "/docs/oauth2-redirect") else CSP).encode()

        async def send_hardened(message):
            if message["type"] == "http.response.start":
                extra = [(k, v) for k, v in SECURITY_HEADERS]
                extra.append((b"content-security-policy", csp))
                message = {**message, "headers": list(message.get("headers") or []) + extra}
            await send(message)

        if problem:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await JSONResponse({"detail": problem[1]}, status_code=problem[0])(scope, receive, send_hardened)
            return
        await self.app(scope, receive, send_hardened)


def create_app(db_path: Path | str | None = None, runs_dir: Path | str | None = None,
               max_runs_per_request: int = 2000, bind_host: str | None = None,
               allow_hosts: Iterable[str] = (), max_active_runs: int = 2) -> FastAPI:
    """The dashboard app over the store ``db_path`` (read-only).

    ``runs_dir`` receives scenario-run outputs from the run endpoint (default: a
    ``web-runs`` folder beside the store). ``max_runs_per_request`` caps ensemble size;
    ``max_active_runs`` the scenario runs queued or running at once (more get 429).
    ``bind_host``: the interface ``heartland serve`` binds; requests must address the
    dashboard by a loopback name, that address or one of ``allow_hosts`` (``SiteGuard``).
    """
    db = Path(db_path) if db_path else paths.default_db_path()
    hosts = allowed_hosts(bind_host, allow_hosts)
    runs = RunManager(Path(runs_dir) if runs_dir else db.parent / "web-runs", max_runs=max_runs_per_request,
                      max_active=max_active_runs)
    app = FastAPI(title="heartland dashboard", version=__version__,
                  description="Sourced, quantitative view of great-power rivalry in Central Asia.")
    app.state.db = db
    app.state.runs = runs
    cache = ReadCache(db)

    async def read(key: tuple, fn):
        """A read-only answer from the store, through the cache."""
        def compute():
            with connect_ro(db) as conn:
                return fn(conn)
        return await cache.get(key, compute)

    # -- safety: host, cross-site writes, headers (outermost); body size; errors ------
    app.add_middleware(RequestLimits)
    app.add_middleware(SiteGuard, hosts=hosts)  # added last: runs first

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(_: Request, exc: StoreUnavailable):
        log.info("%s", exc)
        return JSONResponse({"detail": exc.public}, status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(StoreDamaged)
    async def store_damaged(_: Request, exc: StoreDamaged):
        log.error("%s", exc)
        return JSONResponse({"detail": "the store is damaged; rebuild it from the corpus (see the server log)"},
                            status_code=503)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        errs = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": "invalid request", "errors": errs}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        return JSONResponse({"detail": "internal error (see the server log)"}, status_code=500)

    # -- pages ------------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    # -- API: meta --------------------------------------------------------------------
    counts_memo: dict[tuple, dict] = {}

    def status_counts() -> dict:
        """Row counts per evidence table, kept per state of the store file (as the read cache
        is): opening DuckDB for them cost ≈ 50 ms of CPU per status request, which under 200
        concurrent clients queued every other answer behind it."""
        stamp = cache.stamp()
        hit = counts_memo.get(stamp)
        if hit is not None:
            return hit
        with connect_ro(db) as conn:
            tabs = table_columns(conn)
            counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                      for t in evidence.FILTERS.keys() | {"articles"} if t in tabs}
        counts_memo.clear()
        counts_memo[stamp] = counts
        return counts

    @app.get("/api/status", tags=["meta"], summary="What this store and installation can show")
    def status() -> dict:
        try:
            counts = status_counts()
            store_ok = True
        except StoreUnavailable as exc:
            counts, store_ok = {}, False
            log.info("%s", exc)
        return {"version": __version__, "store": store_ok, "counts": counts, "stages": stages.status(db)}

    @app.get("/api/axes", tags=["meta"], summary="Patrons, targets and domains")
    def axes() -> dict:
        return stages.axes()

    @app.get("/api/geo", tags=["meta"], summary="Map geometry (Natural Earth, bundled)")
    def geo() -> JSONResponse:
        return JSONResponse(_geo(), headers={"Cache-Control": "max-age=3600"})

    # -- API: influence ---------------------------------------------------------------
    @app.get("/api/influence", tags=["influence"], summary="Influence of each patron over each target per domain")
    async def influence(year: Year = None) -> Response:
        def compute():
            panel = stages.influence_panel(db)
            if panel is None:
                return {"available": False, "years": [], "year": None, "cells": [], "overall": [], "priors": []}
            years = panel["years"]
            if year is not None and year not in years:
                raise HTTPException(404, f"no influence data for {year}; years: {years[0]}–{years[-1]}")
            y = year if year is not None else (years[-1] if years else None)
            return {"available": True, "years": years, "year": y, "cells": panel["cells"].get(y, []),
                    "overall": panel["overall"].get(y, []),
                    # cells with no figure: the simulation starts them from the year's prior
                    "priors": (panel.get("priors") or {}).get(y, [])}
        return await cache.get(("influence", year), compute)

    @app.get("/api/measures", tags=["influence"],
             summary="Division of labour, power transition, dissatisfaction and friction over time")
    async def measures() -> Response:
        def compute():
            m = stages.measures(db)
            return {"available": m is not None, **(m or {})}
        return await cache.get(("measures",), compute)

    @app.get("/api/country/{iso}", tags=["influence"], summary="A target's ties and indices over time")
    async def country(iso: Iso3) -> Response:
        if iso not in TARGETS:
            raise HTTPException(404, f"{iso} is not one of the Central Asian states {', '.join(TARGETS)}")
        return await cache.get(("country", iso), lambda: _country(iso))

    def _country(iso: str) -> dict:
        panel = stages.influence_panel(db)
        out: dict[str, Any] = {"iso": iso, "name": stages.actor_name(iso), "available": panel is not None}
        if panel is None:
            out["series"] = []
            return out
        series: dict[tuple, list] = {}
        for y in panel["years"]:
            for c in panel["cells"].get(y, []):
                if c["target"] == iso:
                    series.setdefault((c["patron"], c["domain"]), []).append(
                        {"year": y, "value": c["value"], "low": c.get("low"), "high": c.get("high")})
            for c in panel["overall"].get(y, []):
                if c["target"] == iso:
                    series.setdefault((c["patron"], "overall"), []).append(
                        {"year": y, "value": c["value"], "low": c.get("low"), "high": c.get("high")})
        out["years"] = panel["years"]
        out["series"] = [{"patron": p, "domain": d, "points": pts} for (p, d), pts in series.items()]
        return out

    @app.get("/api/explain", tags=["influence"], summary="The evidence behind one influence number",
             # the one shape of an explanation, shared with `heartland explain --format json`
             # (published here and in docs/schemas/Explanation.json)
             responses={200: {"model": Explanation, "description": "The measure stage's Explanation"}})
    async def explain(patron: Patron, target: Target, domain: Domain, year: Annotated[int, Query(ge=1990, le=2100)]) -> Response:
        def compute():
            res = stages.explain(db, patron, target, domain, year)
            if res is None:
                raise HTTPException(404, f"no explanation for {patron} → {target}, {domain}, {year} "
                                         "(no influence data for that year, or world/measure not built)")
            return res
        return await cache.get(("explain", patron, target, domain, year), compute)

    # -- API: evidence ----------------------------------------------------------------
    @app.get("/api/articles", tags=["evidence"], summary="Articles in the store")
    async def articles() -> Response:
        return await read(("articles",), lambda c: {"items": evidence.list_articles(c)})

    @app.get("/api/articles/{article_id}", tags=["evidence"], summary="One article with its extracted items")
    async def article(article_id: ArticleId) -> Response:
        def fn(c):
            art = evidence.get_article(c, article_id)
            if art is None:
                raise HTTPException(404, f"no article {article_id}")
            return art
        return await read(("article", article_id), fn)

    @app.get("/api/facts", tags=["evidence"], summary="Facts with sources and sentences",
             responses={200: {"model": FactPage, "description": "Items carry the CLI's row fields (and more)"}})
    async def facts(subject: Filter = None, object: Filter = None, indicator: Filter = None, article: Filter = None,
              limit: Limit = 100, offset: Offset = 0) -> Response:
        f = {"subject": subject, "object": object, "indicator": indicator, "article": article}

        def fn(c):
            data = evidence.list_items(c, "facts", f, limit, offset)
            uses = stages.fact_uses(db)  # which influence numbers each fact feeds
            for r in data["items"]:
                r["feeds"] = uses.get(str(r.get("fact_id") or r.get("id") or ""), [])
            return data
        return await read(("facts", tuple(f.items()), limit, offset), fn)

    @app.get("/api/events", tags=["evidence"], summary="Dated events between actors",
             responses={200: {"model": EventPage, "description": "Items carry the CLI's row fields (and more)"}})
    async def events(actor: Filter = None, target: Filter = None, kind: Filter = None, article: Filter = None,
               limit: Limit = 100, offset: Offset = 0) -> Response:
        f = {"actor": actor, "target": target, "kind": kind, "article": article}
        return await read(("events", tuple(f.items()), limit, offset), lambda c: evidence.list_items(c, "events", f, limit, offset))

    @app.get("/api/quotes", tags=["evidence"], summary="Quotes and claims by experts and officials",
             responses={200: {"model": QuotePage, "description": "Items carry the CLI's row fields (and more)"}})
    async def quotes(speaker: Filter = None, hypothesis: Filter = None, stance: Filter = None, article: Filter = None,
               limit: Limit = 100, offset: Offset = 0) -> Response:
        f = {"speaker": speaker, "hypothesis": hypothesis, "stance": stance, "article": article}
        return await read(("quotes", tuple(f.items()), limit, offset), lambda c: evidence.list_items(c, "quotes", f, limit, offset))

    @app.get("/api/fact-groups", tags=["evidence"], summary="Facts grouped: corroboration and conflicts")
    async def fact_groups(conflicts_only: bool = False) -> Response:
        def fn(c):
            groups = evidence.fact_groups(c)
            return {"items": [g for g in groups if g["conflict"]] if conflicts_only else groups}
        return await read(("fact-groups", conflicts_only), fn)

    @app.get("/api/timeline", tags=["evidence"], summary="Events by date and actor")
    async def timeline(actor: Filter = None) -> Response:
        return await read(("timeline", actor), lambda c: evidence.list_items(c, "events", {"actor": actor}, limit=MAX_PAGE))

    # -- API: review (decisions are the one write to the store; see review_api) ------
    app.include_router(review_api.router(db, cache, bind_host, hosts))

    # -- API: scenarios and forecasts -------------------------------------------------
    @app.get("/api/scenarios", tags=["scenarios"], summary="Bundled scenarios")
    async def scenarios() -> Response:
        def compute():
            sc = stages.scenarios()
            return {"available": sc is not None, "items": sc or [], "max_runs": runs.max_runs}
        return await cache.get(("scenarios",), compute)

    @app.post("/api/scenarios/{name}/runs", tags=["scenarios"], status_code=202,
              summary="Start an ensemble run of a scenario in the background")
    def start_run(name: Name, req: RunRequest) -> dict:
        return runs.start(name, req)

    @app.get("/api/runs", tags=["scenarios"], summary="Runs started from this dashboard")
    def list_runs() -> dict:
        return {"items": runs.list()}

    @app.get("/api/runs/{run_id}", tags=["scenarios"], summary="A run's progress and, when done, its result")
    def get_run(run_id: RunId) -> dict:
        return runs.get(run_id)

    @app.get("/api/hypotheses", tags=["scenarios"], summary="Expert hypotheses and their probabilities")
    async def hypotheses() -> Response:
        def compute():
            h = stages.hypotheses(runs.root)
            return {"available": h is not None, "items": h or []}
        return await cache.get(("hypotheses",), compute)

    @app.get("/api/forecasts", tags=["forecasts"], summary="Issue forecasts with bargaining paths")
    async def forecasts() -> Response:
        def compute():
            f = stages.forecasts()
            return {"available": f is not None, "items": f or []}
        return await cache.get(("forecasts",), compute)

    return app


@lru_cache(maxsize=1)
def _geo() -> dict[str, Any]:
    return json.loads(GEO_FILE.read_text(encoding="utf-8"))
