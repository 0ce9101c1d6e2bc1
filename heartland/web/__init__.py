"""heartland.web: the local dashboard (FastAPI app, JSON API under /api/, static UI).

Public face::

    from heartland.web import create_app
    app = create_app("heartland.duckdb")     # serve with uvicorn, or `heartland serve`

See docs/web.md.
"""

from heartland.web.app import create_app

__all__ = ["create_app"]
