"""A hostile corpus: over a thousand files of the kinds that break readers, mixed with valid
documents (tests/corpus/test_hostile_corpus.py).

``generate(root, big=True)`` writes into ``root`` and returns a :class:`Corpus` naming the
valid documents (each must be stored: its title) and every file written. Kinds: random
bytes; every encoding with and without a byte-order mark; truncations of every format;
HTML nested 10^5 levels deep; YAML alias bombs in each front-matter field; huge keys
(YAML, JSON, header lines); one-line files of megabytes (two of 20 MB: English words, a
run without spaces) and of 1–3 MB (HTML, JSON Lines, Chinese, English with and without
sentence ends); FIFOs; symlink loops; odd file names; JSON Lines with broken lines
between valid ones. Deterministic (seeded).
"""

from __future__ import annotations

import codecs
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("the minister said trade with Kazakhstan grew by 12 percent in 2023 while Russia kept its "
         "base and China built a railway across the steppe to Tashkent under a new loan").split()
ZH = "哈萨克斯坦与中国的贸易增长了百分之十二俄罗斯在塔吉克斯坦保留军事基地上海合作组织峰会在阿斯塔纳举行"
ZH_T = "哈薩克斯坦與中國的貿易增長了百分之十二俄羅斯在塔吉克斯坦保留軍事基地"
RU = "Министр сказал, что торговля с Казахстаном выросла на двенадцать процентов."


@dataclass
class Corpus:
    root: Path
    #: title of every valid document -> its file (each must be stored)
    valid: dict[str, Path] = field(default_factory=dict)
    #: every regular file or special entry written (hostile and valid)
    files: list[Path] = field(default_factory=list)
    #: JSON Lines files with broken lines: file -> (valid titles, broken line numbers)
    jsonl_mixed: dict[Path, tuple[list[str], list[int]]] = field(default_factory=dict)
    #: files of a kind whose every copy must be refused (alias bombs, random bytes, ...)
    must_fail: set[Path] = field(default_factory=set)


def _words(rng: random.Random, n: int, sentences: bool = False) -> str:
    out, size = [], 0
    while size < n:
        w = rng.choice(WORDS)
        if sentences and rng.random() < 0.08:
            w += "."
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


def _note(i: int, rng: random.Random) -> tuple[str, str]:
    title = f"valid note {i} on the steppe"
    body = f"Note number {i}: " + _words(rng, 300, sentences=True) + f" End of note {i}."
    return title, f"Title: {title}\n\n{body}\n"


def _jekyll(i: int, rng: random.Random, front: str | None = None) -> tuple[str, str]:
    title = f"valid jekyll post {i}"
    front = front if front is not None else (f"title: \"{title}\"\nauthor: [Ana Reyes, Bo Li]\n"
                                             f"date: 2023-05-{1 + i % 28:02d} 10:00:00 +0800\ntags: [trade, rail]\n")
    return title, f"---\n{front}---\n<p>Post {i}. {_words(rng, 400, sentences=True)}</p>\n<p>Second paragraph {i}.</p>\n"


def _html(i: int, rng: random.Random) -> tuple[str, str]:
    title = f"valid html page {i}"
    paras = "".join(f"<p>Paragraph {k} of page {i}. {_words(rng, 300, sentences=True)}</p>" for k in range(4))
    return title, (f"<!doctype html><html><head><title>{title}</title>"
                   f"<meta property=\"article:published_time\" content=\"2023-06-0{1 + i % 9}T08:00:00+05:00\">"
                   f"</head><body><article><h1>{title}</h1>{paras}</article></body></html>")


def _jsonl_item(title: str, i: int, rng: random.Random) -> str:
    return json.dumps({"title": title, "url": f"https://news.example/{i}/{abs(hash(title)) % 10**8}",
                       "published": "2023-04-05T09:00:00+06:00",
                       "text": f"Item {title}. " + _words(rng, 300, sentences=True)}, ensure_ascii=False)


def generate(root: Path, big: bool = True, seed: int = 18) -> Corpus:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    c = Corpus(root)
    n = 0

    def put(rel: str, data: bytes | str, *, valid: str | None = None, fail: bool = False) -> Path:
        nonlocal n
        n += 1
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        c.files.append(p)
        if valid:
            c.valid[valid] = p
        if fail:
            c.must_fail.add(p)
        return p

    # -- valid documents, mixed in everywhere --------------------------------------------------
    for i in range(400):
        t, d = _note(i, rng)
        put(f"valid/notes/{i // 100}/note{i:04d}.txt", d, valid=t)
    for i in range(60):
        t, d = _jekyll(i, rng)
        put(f"valid/posts/post{i:03d}.md", d, valid=t)
    for i in range(60):
        t, d = _html(i, rng)
        put(f"valid/pages/page{i:03d}.html", d, valid=t)

    # -- random bytes (some with a text-like start) ----------------------------------------------
    for i in range(360):
        size = rng.choice([1, 7, 100, 1000, 5000, 40000])
        head = rng.choice([b"", b"---\n", b"<html>", b"{\"title\":", b"Title: ", b"\xef\xbb\xbf", b"\xff\xfe"])
        put(f"random/r{i:03d}.bin", head + rng.randbytes(size))

    # -- every encoding, with and without a byte-order mark ----------------------------------------
    texts = {"en": "Title: encoded {i} {enc}\n\n" + " ".join(WORDS) + ".\n",
             "zh": "Title: 编码 {i} {enc}\n\n" + ZH * 3 + "。\n",
             "zht": "Title: 編碼 {i} {enc}\n\n" + ZH_T * 3 + "。\n",
             "ru": "Title: кодировка {i} {enc}\n\n" + RU + "\n"}
    encodings = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "gb18030", "gbk", "big5",
                 "big5hkscs", "shift_jis", "euc-kr", "koi8-r", "cp1251", "latin-1", "iso-8859-5", "cp437",
                 "utf-7", "hz"]
    boms = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
            "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    i = 0
    for enc in encodings:
        for lang, tmpl in texts.items():
            txt = tmpl.format(i=i, enc=enc)
            try:
                data = txt.encode(enc)
            except UnicodeEncodeError:
                data = txt.encode(enc, errors="replace")
            put(f"enc/{enc}/{lang}-plain-{i}.txt", data)
            bom = boms.get(enc, codecs.BOM_UTF8)  # a foreign BOM on a legacy encoding: hostile too
            put(f"enc/{enc}/{lang}-bom-{i}.txt", bom + data)
            i += 1
    # a BOM that lies, and a BOM alone
    for k, (bom, enc) in enumerate([(codecs.BOM_UTF16_LE, "utf-8"), (codecs.BOM_UTF8, "utf-16-le"),
                                    (codecs.BOM_UTF32_BE, "utf-8"), (codecs.BOM_UTF16_BE, "gb18030")]):
        put(f"enc/liar{k}.txt", bom + f"Title: liar {k}\n\n{ZH}\n".encode(enc))
        put(f"enc/bomonly{k}.txt", bom, fail=True)

    # -- truncations of every format ------------------------------------------------------------
    for i in range(350):
        kind = i % 5
        if kind == 0:
            _, d = _jekyll(1000 + i, rng)
        elif kind == 1:
            _, d = _html(1000 + i, rng)
        elif kind == 2:
            d = "\n".join(_jsonl_item(f"cut item {i} {k}", i, rng) for k in range(4))
        elif kind == 3:
            d = (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>feed {i}</title><item><title>x {i}"
                 f"</title><description>{_words(rng, 200)}</description></item></channel></rss>")
        else:
            _, d = _note(1000 + i, rng)
        raw = d.encode("utf-8")
        put(f"trunc/t{i:03d}.{['md', 'html', 'jsonl', 'xml', 'txt'][kind]}", raw[:rng.randint(1, max(1, len(raw) - 1))])

    # -- deep nesting -----------------------------------------------------------------------------
    depth = 100_000
    put("nest/div.html", "<!doctype html><html><body>" + "<div>" * depth + "deep text. " * 20 + "</div>" * depth
        + "</body></html>")
    put("nest/unclosed.html", "<!doctype html><html><body>" + "<div><span><b>" * (depth // 3) + "text")
    put("nest/post.md", "---\ntitle: nested post\n---\n" + "<blockquote>" * depth + "quoted text" + "</blockquote>" * depth)
    put("nest/items.jsonl", "[" * depth + "]" * depth + "\n" + json.dumps({"title": "t", "text": "x"}) + "\n")
    put("nest/feed.xml", "<?xml version=\"1.0\"?><rss><channel>" + "<item>" * depth + "</item>" * depth
        + "</channel></rss>")
    put("nest/yaml.md", "---\ntitle: t\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\n<p>body</p>\n", fail=True)

    # -- YAML alias bombs in each front-matter field ---------------------------------------------
    for k, fld in enumerate(["author", "authors", "tags", "categories", "date", "from", "title", "source", "mood"]):
        for v in range(10):
            width = 5 + v
            lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
            for lvl in range(1, 9):
                lines.append(f"a{lvl}: &a{lvl} [{', '.join([f'*a{lvl - 1}'] * width)}]")
            lines.append(f"{fld}: *a8")
            put(f"bombs/{fld}-{v}.md", "---\ntitle: bomb\n" + "\n".join(lines) + "\n---\n<p>Innocent body text here.</p>\n",
                fail=True)
    put("bombs/merge.md", "---\nbase: &b {title: x, author: y}\npost:\n  <<: *b\n---\n<p>Body.</p>\n", fail=True)
    put("bombs/tag.md", "---\ntitle: !!python/object/apply:os.system [echo pwned]\n---\n<p>Body.</p>\n", fail=True)

    # -- huge keys and values ---------------------------------------------------------------------
    put("keys/yaml-key.md", "---\n" + "k" * 1_000_000 + ": v\ntitle: t\n---\n<p>Body text.</p>\n", fail=True)
    put("keys/yaml-value.md", "---\ntitle: " + "v" * 100_000 + "\n---\n<p>Body text.</p>\n", fail=True)
    put("keys/yaml-author-list.md", "---\ntitle: t\nauthor: [" + ", ".join(f"n{i}" for i in range(5000))
        + "]\n---\n<p>Body text.</p>\n", fail=True)
    put("keys/yaml-author-map.md", "---\ntitle: t\nauthor: {name: x, mail: y}\n---\n<p>Body text.</p>\n", fail=True)
    put("keys/json-key.jsonl", json.dumps({"k" * 1_000_000: 1, "title": "t", "text": "x"}) + "\n")
    put("keys/header-key.txt", "K" * 200_000 + ": value\nTitle: t\n\nbody text\n")
    put("keys/header-value.txt", "Title: " + "T" * 200_000 + "\n\nbody text here\n")

    # -- one-line files ---------------------------------------------------------------------------
    if big:
        # just under the default --max-size (20 MB), so that they are read, not refused unread
        put("oneline/english-20mb.txt", _words(rng, 20 * 1024 * 1024 - 64 * 1024))
        put("oneline/nospace-20mb.txt", ("".join(rng.choice("abcdefghij") for _ in range(1024 * 1024)) * 20)[:-65536])
    put("oneline/english-1mb.txt", _words(rng, 1024 * 1024))  # dense triggers, no sentence end: ~20 s to extract
    put("oneline/sentences-1mb.txt", "Title: long line\n\n" + _words(rng, 1024 * 1024, sentences=True))
    put("oneline/chinese-1mb.txt", ZH * (1024 * 1024 // len(ZH.encode())))
    put("oneline/page-3mb.html", "<!doctype html><html><head><title>one line page</title></head><body><p>"
        + _words(rng, 3 * 1024 * 1024).replace(" trade ", " <b>trade</b> ") + "</p></body></html>")
    put("oneline/items-2mb.jsonl", "".join(_jsonl_item(f"glued {k}", k, rng) for k in range(1000)))
    put("oneline/one-item-2mb.jsonl", json.dumps({"title": "one huge item", "text": _words(rng, 2 * 1024 * 1024)}))

    # -- JSON Lines: broken lines between valid ones --------------------------------------------
    for f in range(30):
        lines, titles, broken = [], [], []
        for k in range(12):
            if k % 3 == 1:
                lines.append(rng.choice(['{"title": "unterminated', "not json at all", "{}", "[1, 2",
                                         '{"title": 5, "text": []}', "\x07\x08 bell", '{"text": ""}']))
                broken.append(k + 1)
            else:
                t = f"jsonl item {f}-{k}"
                titles.append(t)
                lines.append(_jsonl_item(t, f * 100 + k, rng))
        p = put(f"jsonl/mixed{f:02d}.jsonl", "\n".join(lines) + "\n")
        c.jsonl_mixed[p] = (titles, broken)

    # -- odd names --------------------------------------------------------------------------------
    odd = ["with space.txt", "new\nline.txt", "tab\tname.txt", "-dash.txt", "--help", "名字.txt", "ﾁｪｯｸ.txt",
           "emoji-🦀.txt", "quote'\".txt", "back\\slash.txt", "semi;colon.txt", "x" * 240 + ".txt",
           "dollar$HOME.txt", "star*.txt", "q?.txt", "%2e%2e.txt", "trailing.", "ctl\x01\x7f.txt", "CON", "nul.txt"]
    for k, name in enumerate(odd):
        t, d = _note(5000 + k, rng)
        put(f"odd/{name}", d, valid=t)
    bad_utf8 = os.fsencode(str(root / "odd")) + b"/bad-\xff\xfe-name.txt"
    t, d = _note(6000, rng)
    with open(bad_utf8, "wb") as fh:
        fh.write(d.encode())
    c.valid[t] = Path(os.fsdecode(bad_utf8))
    c.files.append(Path(os.fsdecode(bad_utf8)))

    # -- FIFOs and symlink loops ----------------------------------------------------------------
    (root / "special").mkdir(exist_ok=True)
    for k in range(5):
        p = root / "special" / f"fifo{k}"
        os.mkfifo(p)
        c.files.append(p)
        c.must_fail.add(p)
    loops = root / "special"
    (loops / "loop-a").symlink_to(loops / "loop-b")
    (loops / "loop-b").symlink_to(loops / "loop-a")
    (loops / "self").symlink_to(loops / "self")
    (loops / "dangling").symlink_to(loops / "nowhere")
    (loops / "dirloop").symlink_to(loops)  # a directory link: not followed
    for name in ("loop-a", "loop-b", "self", "dangling"):
        c.files.append(loops / name)
        c.must_fail.add(loops / name)

    # -- empty and whitespace ---------------------------------------------------------------------
    for k in range(10):
        put(f"empty/e{k}.txt", " \n\t" * k, fail=True)
    return c
