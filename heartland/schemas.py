"""The JSON schemas the CLI and the API share, as the API publishes them (``/openapi.json``).

One schema per concept: a concept's JSON is produced by one pydantic model, which the API
declares (so the schema appears under ``components.schemas`` of ``/openapi.json``) and the
CLI prints (``model_dump(mode="json")``). ``docs/schemas/<Name>.json`` holds each schema as
a standalone document (written by ``scripts/export_schemas.py``; a test keeps it in sync).
"""

from __future__ import annotations

#: Concept -> the component name under which the API publishes its schema.
SHARED = {"explain": "Explanation", "facts": "FactRow", "events": "EventRow", "quotes": "QuoteRow"}


def openapi_document() -> dict:
    from heartland.web.app import create_app

    return create_app(None).openapi()


def standalone(name: str, openapi: dict | None = None) -> dict:
    """The component ``name`` as a self-contained JSON Schema (2020-12) document.

    The component and every component it refers to are copied under ``$defs``, with the
    references rewritten, so the file validates on its own.
    """
    import json

    doc = openapi or openapi_document()
    comps = doc["components"]["schemas"]
    keep, todo = set(), [name]
    while todo:  # the component and what it refers to, transitively
        n = todo.pop()
        if n in keep:
            continue
        keep.add(n)
        todo += [r.split("/")[-1] for r in _refs(comps[n])]
    text = json.dumps({k: comps[k] for k in sorted(keep)}).replace("#/components/schemas/", "#/$defs/")
    defs = json.loads(text)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"heartland:{name}",
            "$ref": f"#/$defs/{name}", "$defs": defs}


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for v in node.values():
            out += _refs(v)
        return out
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
