"""Write docs/schemas/<Name>.json: the shared JSON schemas as the API publishes them.

    .venv/bin/python scripts/export_schemas.py
"""

from __future__ import annotations

import json

from heartland.paths import REPO_DIR
from heartland.schemas import SHARED, openapi_document, standalone


def main() -> None:
    doc = openapi_document()
    out = REPO_DIR / "docs" / "schemas"
    out.mkdir(exist_ok=True)
    for name in SHARED.values():
        path = out / f"{name}.json"
        path.write_text(json.dumps(standalone(name, doc), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_DIR)}")


if __name__ == "__main__":
    main()
