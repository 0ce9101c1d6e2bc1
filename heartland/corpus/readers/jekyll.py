"""Jekyll posts: YAML front matter, then a markdown title link and the article as HTML
(seeds 001, 002: Radio Free Asia posts copied by a mirror blog).

The front matter's ``date`` is when the mirror posted its copy (``mirrored_at``); its
``from`` is the original article. The outlet's own time comes from the original URL
when it carries one: RFA URLs end in ``-MMDDYYYYHHMMSS.html``, the newsroom's local
time in Washington (America/New_York, so -05:00 in winter and -04:00 in summer). Only
when the post has no ``from`` (it is the original) is ``date`` the publication time;
a mirrored post without a stamped URL falls back to the mirror's time, marked as such
in ``published_basis``.
"""

from __future__ import annotations

import datetime
import re

import yaml

from heartland.corpus import dates, outlets
from heartland.corpus.build import make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import HTML_COMMENT_LINE, SETEXT_RULE, TITLE_LINK, body_from_tree
from heartland.corpus.records import Article
from heartland.corpus.results import ReaderError

NAME = "jekyll"

# libyaml's safe loader when PyYAML was built with it: the same documents, several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.S)

#: Largest front matter read (characters between the two ``---`` lines). Real front matter
#: is a few hundred characters; a larger block is refused, not parsed.
MAX_FRONT_MATTER = 64 * 1024
#: Most YAML events (scalars, collections) in one front matter, and its deepest nesting.
MAX_EVENTS = 2000
MAX_DEPTH = 4
#: Longest string value, and most entries of a list, in a field.
MAX_VALUE_CHARS = 4096
MAX_LIST_ITEMS = 200


def sniff(text: str) -> bool:
    return text.startswith("---\n") or text.startswith("---\r\n") or text.startswith("--- \n")


def _as_list(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [str(x).strip() for x in v if str(x).strip()]
    return [s.strip() for s in re.split(r"[,、，]", str(v)) if s.strip()]


def _yaml_error(exc: yaml.YAMLError) -> ReaderError:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 2}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    return ReaderError(f"malformed YAML front matter{where}: {problem}")


def _check_events(block: str) -> None:
    """Refuse anchors and aliases (``&a`` / ``*a``: a few hundred bytes of nested aliases
    expand to gigabytes, the "billion laughs"), more than MAX_EVENTS nodes and nesting
    deeper than MAX_DEPTH — from the parser's events, before anything is built."""
    depth = events = 0
    try:
        for ev in yaml.parse(block, Loader=_SAFE_LOADER):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
                line = ev.start_mark.line + 2 if ev.start_mark is not None else None
                raise ReaderError("YAML front matter uses anchors or aliases (&name / *name)"
                                  + (f" at line {line}" if line else "") + "; they are refused")
            if isinstance(ev, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                events += 1
                if events > MAX_EVENTS:
                    raise ReaderError(f"YAML front matter has over {MAX_EVENTS} values; refused")
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ReaderError(f"YAML front matter nests deeper than {MAX_DEPTH} levels; refused")
            elif isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None


def parse_front_matter(block: str) -> dict:
    """The front matter's YAML as a dict of checked fields (:func:`check_fields`), or a
    :class:`ReaderError` naming the problem: malformed YAML, anchors or aliases, too large,
    too many or too deeply nested values, a field of the wrong type or length."""
    if len(block) > MAX_FRONT_MATTER:
        raise ReaderError(f"YAML front matter is {len(block):,} characters, over the "
                          f"{MAX_FRONT_MATTER:,} limit; refused")
    _check_events(block)
    try:
        meta = yaml.load(block, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    if not isinstance(meta, dict):
        raise ReaderError("malformed YAML front matter: expected 'key: value' lines")
    check_fields(meta)
    return meta


_SCALARS = (str, int, float, bool, datetime.date, type(None))
#: Fields read as text: a string (or a number or date, as YAML may type one) or, where
#: several make sense, a list of them.
_ONE = "a string"
_MANY = "a string or a list of strings"


def _field_kind(key: str) -> str:
    """What a field read by this reader must be; the keys it does not read (``layout``,
    ``tags``, ``image``, an unknown key…) may be anything, within the size bounds."""
    k = key.lower()
    if k in ("author", "authors", "categories", "category", *_OUTLET_KEYS):
        return _MANY
    if k in ("title", "date", *_URL_KEYS):
        return _ONE
    return "any"


def check_fields(meta: dict) -> None:
    """Each field's type and size: the keys read are strings (numbers and dates allowed
    where YAML types them) — title, date and the URL keys one string, author(s),
    categories and the outlet keys also a list of strings; every string at most
    MAX_VALUE_CHARS, every list at most MAX_LIST_ITEMS, whatever the key (the keys not read
    may hold any YAML value within those bounds)."""
    for key, value in meta.items():
        name = str(key)
        if len(name) > 200:
            raise ReaderError(f"front matter key {name[:40]!r}… is {len(name):,} characters long; refused")
        kind = _field_kind(name)
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list):
            if kind == _ONE:
                raise ReaderError(f"front matter field {name!r}: expected {kind}, got a list")
            if len(value) > MAX_LIST_ITEMS:
                raise ReaderError(f"front matter field {name!r}: a list of {len(value):,} entries, "
                                  f"over the {MAX_LIST_ITEMS} limit")
        for v in items:
            if isinstance(v, (dict, list)) and kind != "any":
                what = "a mapping" if isinstance(v, dict) else "a nested list"
                raise ReaderError(f"front matter field {name!r}: expected {kind}, got {what}")
            if isinstance(v, _SCALARS):
                if len(str(v)) > MAX_VALUE_CHARS:
                    raise ReaderError(f"front matter field {name!r}: a value of {len(str(v)):,} characters, "
                                      f"over the {MAX_VALUE_CHARS:,} limit")
            elif kind != "any" or not isinstance(v, (dict, list)):
                raise ReaderError(f"front matter field {name!r}: expected {kind}, got {type(v).__name__}")


def read(text: str, source: str) -> list[Article]:
    m = _FRONT.match(text, 0, min(len(text), MAX_FRONT_MATTER + 256))
    if not m:
        if _FRONT.match(text):
            raise ReaderError(f"YAML front matter over the {MAX_FRONT_MATTER:,}-character limit; refused")
        raise ReaderError("malformed YAML front matter: no closing '---' line")
    meta = parse_front_matter(m.group("yaml"))
    rest = text[m.end():]
    link = TITLE_LINK.search(rest[:2000])
    original = next((str(meta[k]).strip() for k in _URL_KEYS if meta.get(k)), "") \
        or (link.group("url") if link else None)
    if link:
        rest = rest[:link.start()] + rest[link.end():]
    rest = HTML_COMMENT_LINE.sub("", SETEXT_RULE.sub("", rest, count=1))
    body = body_from_tree(parse_fragment(rest))

    site = outlets.by_url(original)
    meta_authors = _as_list(meta.get("author") or meta.get("authors"))
    declared = next((outlets.by_name(o) for k in _OUTLET_KEYS for o in _as_list(meta.get(k))
                     if outlets.by_name(o)), None)
    declared_name = next((o for k in _OUTLET_KEYS for o in _as_list(meta.get(k))), None)
    named = declared or next((outlets.by_name(a) for a in meta_authors if outlets.by_name(a)), None)
    cat = next((outlets.by_name(c) for c in _as_list(meta.get("categories")) if outlets.by_name(c)),
               None)
    outlet_rec = declared or site or named or cat
    outlet = outlet_rec.name if outlet_rec else declared_name
    people = [_person(a) for a in meta_authors if outlets.by_name(a) is None]
    zone = outlet_rec.tz if outlet_rec else None

    posted = dates.parse_any(meta.get("date"), zone)
    mirrored = bool(original) and not _is_original(meta)
    stated = [(dates.parse_stamp(s, zone), "stated-time") for s in body.stamps]
    published, basis = dates.decide_published(original, zone, stated, body.dateline)
    if published is None:
        published, basis = posted, ("mirror-posted" if mirrored else "front-matter")
    title = meta.get("title") or (link.group("title") if link else None)
    return [make_article(
        paragraphs=body.paragraphs, title=str(title) if title is not None else None,
        url=original or None, outlet=outlet, via=None,
        authors=body.authors + [p for p in people if p not in body.authors],
        published=published, published_basis=basis, captions=body.captions,
        source_path=source, reader=NAME, mirrored_at=posted if mirrored else None,
        credits=body.credits, warnings=_unknown_keys(meta, source),
    )]


#: Front-matter keys read (docs/corpus.md); any other key gives a warning.
_URL_KEYS = ("from", "url", "link", "source_url", "canonical_url", "original_url")
_OUTLET_KEYS = ("outlet", "source", "publisher")
KNOWN_KEYS = frozenset({
    *_URL_KEYS, *_OUTLET_KEYS, "layout", "title", "date", "author", "authors", "tags", "categories",
    "category", "lang", "language", "published", "updated", "modified", "excerpt", "description",
    "permalink", "slug", "image", "comments", "draft", "id", "summary",
})


def _unknown_keys(meta: dict, source: str) -> list[str]:
    return [f"{source}: front matter key {str(k)!r} is not known to the jekyll reader (ignored)"
            for k in meta if str(k).lower() not in KNOWN_KEYS]


def _is_original(meta: dict) -> bool:
    """A post that names no original address elsewhere (``from``) is itself the original."""
    return not meta.get("from")


def _person(name: str) -> str:
    """``馬西莫·英特羅維吉（Massimo Introvigne）`` -> ``馬西莫·英特羅維吉``."""
    return re.sub(r"\s*[（(][A-Za-z][^（()）]*[)）]\s*$", "", name).strip() or name
