#!/usr/bin/env python3
"""Turn a gold draft (spans written as strings to find) into span-only gold.

Annotators write drafts outside the repository, with every span given as the text to
look for in the article file:

    at: {find: "13人"}                       # first occurrence in the file
    at: {find: "13人", nth: 2}               # second occurrence
    at: {find: "13人", after: "卫生部"}       # first occurrence after the first "卫生部"

This script resolves each to `[start, end)` character offsets into the file as stored
(UTF-8 decoded), adds the file's SHA-256, and writes the gold file with no article text
in it (tests/extract/real_gold/README.md). `--show` prints every resolved span for a check.

    python scripts/gold_spans.py DRAFT.yaml --split dev [--show]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__import__("os").environ.get("HEARTLAND_REAL", REPO.parent / "shared" / "corpus" / "real"))
OUT = REPO / "tests" / "extract" / "real_gold"


class DraftError(Exception):
    pass


def resolve(raw: str, spec, where: str) -> list[int]:
    if isinstance(spec, list) and len(spec) == 2 and all(isinstance(x, int) for x in spec):
        return spec
    if isinstance(spec, str):
        spec = {"find": spec}
    if not isinstance(spec, dict) or "find" not in spec:
        raise DraftError(f"{where}: expected {{find: ...}}, got {spec!r}")
    needle = str(spec["find"])
    pos = 0
    if spec.get("after") is not None:
        pos = raw.find(str(spec["after"]))
        if pos < 0:
            raise DraftError(f"{where}: 'after' text {spec['after']!r} not in the file")
    nth = int(spec.get("nth", 1))
    i = pos - 1
    for _ in range(nth):
        i = raw.find(needle, i + 1)
        if i < 0:
            raise DraftError(f"{where}: {needle!r} (occurrence {nth}) not in the file")
    return [i, i + len(needle)]


def convert(draft: dict, split: str) -> dict:
    name = draft.get("file")
    path = CORPUS / str(name)
    if not path.is_file():
        raise DraftError(f"file {name!r} not in {CORPUS}")
    data = path.read_bytes()
    raw = data.decode("utf-8")
    out = {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "split": split,
           "script": draft.get("script")}
    md = dict(draft.get("metadata") or {})
    if md.get("title") is not None:
        md["title"] = resolve(raw, md["title"], "metadata.title")
    md["authors"] = [resolve(raw, a, f"metadata.authors[{k}]") for k, a in enumerate(md.get("authors") or [])]
    out["metadata"] = md
    body = draft.get("body") or {}
    out["body"] = {k: resolve(raw, body[k], f"body.{k}") for k in ("start", "end") if body.get(k) is not None}
    for section in ("figures", "events", "speakers", "mentions"):
        items = []
        for k, item in enumerate(draft.get(section) or []):
            item = dict(item)
            item["at"] = resolve(raw, item.get("at"), f"{section}[{k}].at")
            items.append(item)
        out[section] = items
    return out


def show(gold: dict) -> str:
    raw = (CORPUS / gold["file"]).read_text(encoding="utf-8")
    lines = [f"# {gold['file']}"]
    md = gold["metadata"]
    if md.get("title"):
        lines.append(f"title: {raw[slice(*md['title'])]}")
    lines.append("authors: " + ", ".join(raw[slice(*a)] for a in md["authors"]))
    for k, v in gold["body"].items():
        lines.append(f"body.{k}: {raw[slice(*v)]!r}")
    for section in ("figures", "events", "speakers", "mentions"):
        for item in gold[section]:
            rest = {k: v for k, v in item.items() if k != "at"}
            lines.append(f"{section[:-1]}: {raw[slice(*item['at'])]!r} {rest}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("drafts", nargs="+", type=Path)
    ap.add_argument("--split", choices=["dev", "blind"], required=True)
    ap.add_argument("--show", action="store_true", help="print each resolved span")
    args = ap.parse_args(argv)
    bad = 0
    for d in args.drafts:
        try:
            draft = yaml.safe_load(d.read_text(encoding="utf-8"))
            gold = convert(draft, args.split)
        except (DraftError, yaml.YAMLError, OSError) as e:
            print(f"{d}: {e}", file=sys.stderr)
            bad += 1
            continue
        target = OUT / args.split / (Path(gold["file"]).stem + ".yaml")
        target.write_text(yaml.safe_dump(gold, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        print(f"{d} -> {target.relative_to(REPO)}")
        if args.show:
            print(show(gold))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
