"""heartland.web: the local dashboard (FastAPI app, JSON API under /api/, static UI).

Public face::

    from heartland.web import create_app
    app = create_app("heartland.duckdb")     # serve with uvicorn, or `heartland serve`

See docs/web.md.
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "create_app": "heartland.web.app",
})
