"""heartland.report: the self-contained HTML report (and the read model the dashboard shares).

Public face::

    from heartland.report import write_report
    path = write_report("heartland.duckdb", "out/report.html")   # -> Path
"""

from heartland.report.build import render_report, write_report

__all__ = ["render_report", "write_report"]
