"""Generated test corpora: many small documents of every format, written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

_WORDS = ("rail", "grain", "border", "pipeline", "summit", "customs", "ferry", "power", "water",
          "road", "tariff", "loan", "bridge", "school", "clinic", "market")
_HAN = "铁路粮食边境管道峰会海关渡轮电力水源公路关税贷款桥梁学校医院市场"


def plain(i: int, url_mod: int) -> str:
    w = _WORDS[i % len(_WORDS)]
    return (f"Title: Report {i} on the {w} question\n"
            f"URL: https://generated.example/story/{i % url_mod}\n"
            f"Outlet: Generated Wire\n"
            f"Published: 2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00+06:00\n\n"
            f"Officials discussed the {w} question in meeting number {i} on a weekday.\n\n"
            f"Observers said item {i} would be followed by further talks next month.\n")


def jsonl_line(i: int) -> str:
    han = _HAN[(i * 2) % len(_HAN):(i * 2) % len(_HAN) + 2] or "铁路"
    return json.dumps({"title": f"第{i}号简报", "url": f"https://generated.example/zh/{i}",
                       "published": "2024-02-01T08:00:00+08:00",
                       "text": f"关于{han}的第{i}次会谈今天举行。\n各方同意下月继续讨论。"},
                      ensure_ascii=False)


def make_corpus(root: Path, n: int, url_mod: int = 10**9) -> list[Path]:
    """``n`` small plain-text documents in nested directories (sorted names). With a
    small ``url_mod`` several documents share a URL: later ones are new versions."""
    files = []
    for i in range(n):
        d = root / f"d{i // 500:03d}"
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"doc{i:05d}.txt"
        f.write_text(plain(i, url_mod), encoding="utf-8")
        files.append(f)
    return files
