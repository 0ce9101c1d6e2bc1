"""Bytes to text: binary detection and encoding (UTF-8, GBK/GB18030, Big5, UTF-16, others).

Chinese legacy encodings are ambiguous: almost any Big5 byte string also decodes as
GBK (to nonsense), and much GBK decodes as Big5. So for non-UTF-8 input we decode with
every plausible candidate (a declared charset, charset-normalizer's guess, GB18030,
Big5-HKSCS) and keep the reading whose Han characters are most often among the most
common characters of written Chinese (after mapping traditional to simplified, so Big5
text scores fairly). A wrong decoding produces rare characters and scores far lower.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from heartland.corpus.text import _converter, is_printable_text


class DecodeError(ValueError):
    """The bytes are not a text document (binary, or no encoding fits)."""


# The ~500 most frequent characters of modern written Chinese (simplified forms), from
# standard character-frequency lists; used only to score candidate decodings.
_COMMON = set(
    "的一是了不在有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机"
    "当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心"
    "反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程"
    "展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志"
    "世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每"
    "目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律"
    "叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感"
    "劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片"
    "始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严俄亚哈萨坦斯罗普京习近乌克兰"
)

_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"SQLite format 3": "a SQLite database",
    b"DUCK": "a DuckDB database",
}


def _score(text: str) -> float:
    """Share of Han characters that are common characters (after t2s); 0 without Han."""
    han = _HAN_RE.findall(text[:20000])
    if not han:
        return 0.0
    simp = _converter("t2s").convert("".join(han))
    return sum(1 for ch in simp if ch in _COMMON) / len(simp)


def _try(data: bytes, enc: str) -> str | None:
    try:
        codecs.lookup(enc)
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError, ValueError):
        return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError` with a one-line reason."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise DecodeError(f"binary file: looks like {what}, not a text document")
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _try(data[3:], "utf-8"), "utf-8-sig"
        if text is None:
            raise DecodeError("invalid UTF-8 after a UTF-8 byte-order mark")
        return _check(text, enc)
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _try(data, enc)
            if text is None:
                raise DecodeError(f"invalid {enc.upper()} text after its byte-order mark")
            return _check(text.lstrip("\ufeff"), enc)
    if b"\x00" in data[:8192]:
        raise DecodeError("binary file: contains NUL bytes, not a text document")
    text = _try(data, "utf-8")
    if text is not None:
        return _check(text, "utf-8")

    candidates: list[str] = []
    head = data[:4096]
    for rx in (_META_CHARSET, _XML_ENCODING):
        m = rx.search(head)
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore").lower())
    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is not None:
        candidates.append(best.encoding)
    candidates += ["gb18030", "big5hkscs", "big5"]
    readings: list[tuple[float, int, str, str]] = []
    for order, enc in enumerate(dict.fromkeys(candidates)):
        text = _try(data, enc)
        if text is not None:
            readings.append((_score(text), -order, enc, text))
    if not readings:
        raise DecodeError("cannot decode: not UTF-8, GB18030, Big5 or another known encoding")
    score, _, enc, text = max(readings)
    if score == 0.0:
        # No Han text in any reading: trust the declared charset / charset-normalizer order.
        _, _, enc, text = max(readings, key=lambda r: r[1])
    return _check(text, enc)


def _check(text: str, enc: str) -> tuple[str, str]:
    if not is_printable_text(text):
        raise DecodeError(f"binary file: decodes as {enc} to mostly control characters")
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc
