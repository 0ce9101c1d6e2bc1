"""Scenario runs started from the dashboard: one at a time, in a background thread.

The run endpoint is the only one that writes: each run writes its outputs into its own
folder under the manager's root, named by a server-made id (never by the request).
"""

from __future__ import annotations

import datetime as _dt
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field

from heartland.report import stages

log = logging.getLogger("heartland.web.runs")

#: Runs kept in memory (oldest finished ones are forgotten first).
MAX_KEPT = 50


class RunRequest(BaseModel):
    """A request to run a scenario ensemble."""

    model_config = ConfigDict(extra="forbid")
    runs: int = Field(200, ge=1, le=100_000, description="Ensemble size (capped by the server's limit).")
    seed: int | None = Field(None, ge=0, le=2**32 - 1, description="Random seed (default: the scenario's).")


class RunManager:
    def __init__(self, root: Path, max_runs: int = 2000, max_active: int = 2):
        self.root = Path(root)
        self.max_runs = max_runs
        #: runs queued or running at once; a request beyond it gets 429
        self.max_active = max_active
        self._jobs: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heartland-run")

    def start(self, name: str, req: RunRequest) -> dict:
        if req.runs > self.max_runs:
            raise HTTPException(422, f"runs: at most {self.max_runs} per request (asked for {req.runs})")
        known = stages.scenarios()
        if known is None:
            raise HTTPException(503, "the simulation stage is not available yet")
        if name not in {s["name"] for s in known}:
            raise HTTPException(404, f"no scenario named {name!r}")
        run_id = uuid.uuid4().hex[:12]
        job = {"id": run_id, "scenario": name, "runs": req.runs, "seed": req.seed, "status": "queued",
               "progress": 0.0, "created": _now(), "finished": None, "error": None, "result": None}
        with self._lock:
            active = sum(1 for j in self._jobs.values() if j["status"] in ("queued", "running"))
            if active >= self.max_active:
                raise HTTPException(429, f"{active} scenario runs are queued or running, the most this server "
                                         f"takes at once ({self.max_active}); try again when one has finished",
                                    headers={"Retry-After": "5"})
            self._jobs[run_id] = job
            self._forget_old()
        self._pool.submit(self._work, run_id, name, req)
        return self._public(job)

    def _work(self, run_id: str, name: str, req: RunRequest) -> None:
        job = self._jobs[run_id]
        job["status"] = "running"

        def progress(frac: float) -> None:
            job["progress"] = max(0.0, min(1.0, float(frac)))

        try:
            out = self.root / run_id
            out.mkdir(parents=True, exist_ok=True)
            job["result"] = stages.run_scenario(name, runs=req.runs, seed=req.seed, out_dir=out, progress=progress)
            job["progress"] = 1.0
            job["status"] = "done"
        except Exception as exc:  # reported to the client as one line; the trace goes to the log
            log.exception("scenario run %s failed", run_id)
            job["status"] = "failed"
            job["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
        finally:
            job["finished"] = _now()

    def get(self, run_id: str) -> dict:
        job = self._jobs.get(run_id)
        if job is None:
            raise HTTPException(404, f"no run {run_id}")
        return self._public(job, with_result=True)

    def list(self) -> list[dict]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [self._public(j) for j in sorted(jobs, key=lambda j: j["created"], reverse=True)]

    def _forget_old(self) -> None:
        done = [j for j in self._jobs.values() if j["status"] in ("done", "failed")]
        for j in sorted(done, key=lambda j: j["created"])[: max(0, len(self._jobs) - MAX_KEPT)]:
            self._jobs.pop(j["id"], None)

    @staticmethod
    def _public(job: dict, with_result: bool = False) -> dict:
        out = {k: v for k, v in job.items() if k != "result"}
        if with_result:
            out["result"] = job["result"]
        return out


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
