"""heartland.report: the self-contained HTML report (and the read model the dashboard shares).

Public face::

    from heartland.report import write_report
    path = write_report("heartland.duckdb", "out/report.html")   # -> Path
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "render_report": "heartland.report.build", "write_report": "heartland.report.build",
})
