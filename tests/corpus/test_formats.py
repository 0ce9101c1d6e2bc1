"""Every reader on fixture documents written for these tests (no seed text)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from heartland.corpus import Article, ReadError, read_bytes, read_path, read_stream
from heartland.corpus import readers
from heartland.corpus.text import detect_script, normalise

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _one(name: str) -> Article:
    res = list(read_path(FIX / name))
    assert len(res) == 1 and isinstance(res[0], Article), res
    return res[0]


def test_full_html_page_en():
    a = _one("page_en.html")
    assert a.reader == "html-page"
    assert a.title == "Rail link talks resume in Bishkek"
    assert a.url == "https://steppe-ledger.example/2024/03/rail-talks"
    assert a.outlet == "Steppe Ledger"
    assert a.authors == ["Aida Sultanova", "Mark Ellery"]
    assert a.published.isoformat() == "2024-03-05T09:30:00+06:00"
    assert a.paragraphs[0].startswith("Negotiators from three")
    assert a.paragraphs[-1].endswith("late on Tuesday evening.")
    assert len(a.paragraphs) == 5
    assert a.captions == ["A freight yard near the border crossing. Photo: Steppe Ledger archive"]
    for bad in ("Share on", "Subscribe", "Related stories", "Border trade", "All rights", "Home"):
        assert bad not in a.text
    assert a.language == "en" and a.script == "Latn"


def test_full_html_page_zh_jsonld_date_and_editor():
    a = _one("page_zh.html")
    assert a.title == "草原铁路谈判重启"
    assert a.published.isoformat() == "2023-09-12T18:05:00+08:00"
    assert a.authors == ["林晓雯"]
    assert a.credits["editor"] == ["王小明"]
    assert a.captions == ["边境货场一景（图片来源：资料图）"]
    assert "责编" not in a.text and "点击查看" not in a.text and "首页" not in a.text
    assert len(a.paragraphs) == 4


def test_plain_text_with_header():
    a = _one("plain.txt")
    assert a.reader == "plain-text"
    assert a.title == "Water-sharing deal signed on the upper river"
    assert a.outlet == "Valley Courier" and a.authors == ["Nodira Karimova"]
    assert a.published.isoformat() == "2022-06-14T11:00:00+05:00"
    assert len(a.paragraphs) == 3  # hard-wrapped lines joined
    assert a.paragraphs[0].endswith("reservoir on the upper river.")


def test_plain_text_bare_first_line_is_title():
    a = _one("plain_bare.txt")
    assert a.title == "高原公路通车仪式举行"
    assert a.published is None and len(a.paragraphs) == 2


def test_json_lines_good_and_bad_lines():
    res = list(read_path(FIX / "items.jsonl"))
    arts = [r for r in res if isinstance(r, Article)]
    errs = [r for r in res if isinstance(r, ReadError)]
    assert [a.title for a in arts] == ["Grain corridor reopens after floods", "边境口岸恢复通关",
                                       "HTML body item"]
    assert arts[0].published.isoformat() == "2023-04-02T08:15:00+00:00"
    assert arts[0].authors == ["Timur Bekov"] and len(arts[0].paragraphs) == 2
    assert arts[1].published.isoformat() == "2023-04-03T09:00:00+00:00"  # naive -> UTC
    assert arts[2].published.isoformat() == "2023-04-04T10:00:00+06:00"
    assert "Related" not in arts[2].text  # link list dropped from the HTML body
    assert [(e.line, e.message.split(":")[0]) for e in errs] == [(3, "invalid JSON"), (4, "no 'text', 'paragraphs' or 'html' field")]
    assert str(errs[0]).startswith(str(FIX / "items.jsonl") + ":3: ")


def test_rss_feed_items():
    arts = list(read_path(FIX / "feed_rss.xml"))
    assert all(isinstance(a, Article) for a in arts) and len(arts) == 2
    a, b = arts
    assert a.reader == "feed" and a.outlet == "Caspian Dispatch"
    assert a.title == "Ferry capacity on the Caspian to double"
    assert a.url == "https://caspian-dispatch.example/ferries"
    assert a.authors == ["Leyla Hasanova"]
    assert a.published.isoformat() == "2024-07-08T14:20:00+05:00"  # offset kept
    assert a.captions == ["A ferry at the port. Photo: Caspian Dispatch"]
    assert "Share this" not in a.text and len(a.paragraphs) == 2
    assert b.published.isoformat() == "2024-07-09T09:00:00+00:00"


def test_atom_feed():
    (a,) = list(read_path(FIX / "feed_atom.xml"))
    assert a.title == "山区光缆工程完工" and a.authors == ["赵一鸣"]
    assert a.published.isoformat() == "2024-02-01T09:30:00+08:00"
    assert a.outlet == "高原通讯" and len(a.paragraphs) == 2


def test_jekyll_original_post_uses_its_own_date():
    a = _one("jekyll_original.md")
    assert a.published_basis == "front-matter" and a.mirrored_at is None
    assert a.published.isoformat() == "2023-08-20T16:45:00+06:00"
    assert a.authors == ["Dana Omarova"]


def test_traditional_text_kept_as_written_and_normalised():
    a = _one("traditional.txt")
    assert a.script == "Hant"
    assert "鐵路" in a.text and "铁路" in a.normalised
    assert len(a.normalised) == len(a.text)


@pytest.mark.parametrize("text,script", [
    ("中国与中亚国家的贸易不断增长，铁路运输也在发展。", "Hans"),
    ("中國與中亞國家的貿易不斷增長，鐵路運輸也在發展。", "Hant"),
    ("中國與中亞國家的貿易不斷增長，铁路运输也在发展。", "mixed"),
    ("Only English words here.", "Latn"),
])
def test_script_detection(text, script):
    assert detect_script(text) == script


def test_normalised_same_length_for_tricky_characters():
    # Characters whose t2s conversion is phrase-dependent or unusual.
    text = "乾隆年間，於是後來發現髮型與頭髮，著名的著作，裡面、裏面、台灣臺灣，𠮷野家"
    norm = normalise(text)
    assert len(norm) == len(text)
    assert "发" in norm and "里" in norm


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-16"])
def test_legacy_chinese_encodings_decode_correctly(encoding):
    simplified = "标题：草原铁路谈判重启\n\n三国交通部门代表周二再次坐到谈判桌前，讨论搁置多年的货运铁路规划。\n"
    traditional = "標題：草原鐵路談判重啟\n\n三國交通部門代表週二再次坐到談判桌前，討論擱置多年的貨運鐵路規劃。\n"
    text = traditional if encoding == "big5" else simplified
    (a,) = read_bytes(text.encode(encoding), f"doc.{encoding}")
    assert isinstance(a, Article), a
    body = text.split("\n\n", 1)[1].strip()
    assert a.text == body
    assert a.title == text.split("\n")[0].split("：", 1)[1]


def test_gbk_html_page_with_meta_charset():
    html = ("<html><head><meta charset='gbk'><title>口岸恢复通关</title></head><body><article>"
            "<h1>口岸恢复通关</h1>"
            "<p>因大雪关闭一周的边境口岸今天上午恢复通关，货车排起了长队，司机们终于松了一口气。</p>"
            "<p>口岸管理部门表示，将延长工作时间以尽快疏导滞留车辆，预计三天内恢复正常秩序。</p>"
            "<p>当地商会说，这一周的停运给水果出口商造成了不小的损失，希望今后能有更好的预警机制。</p>"
            "</article></body></html>")
    (a,) = read_bytes(html.encode("gbk"), "page.html")
    assert isinstance(a, Article), a
    assert a.title == "口岸恢复通关" and a.paragraphs[0].startswith("因大雪关闭")


def test_stdin_stream():
    data = (FIX / "plain.txt").read_bytes()
    (a,) = read_stream(io.BytesIO(data), source="<stdin>")
    assert a.source_path == "<stdin>" and a.title.startswith("Water-sharing")


def test_sniffing_uses_content_not_name(tmp_path):
    # An RSS feed saved as .txt and a plain text saved as .html are still read correctly.
    feed = tmp_path / "notes.txt"
    feed.write_bytes((FIX / "feed_rss.xml").read_bytes())
    assert all(a.reader == "feed" for a in read_path(feed))
    txt = tmp_path / "page.html"
    txt.write_bytes((FIX / "plain.txt").read_bytes())
    assert [a.reader for a in read_path(txt)] == ["plain-text"]


@pytest.mark.parametrize("name,reader", [
    ("page_en.html", "html-page"), ("plain.txt", "plain-text"), ("items.jsonl", "json-lines"),
    ("feed_rss.xml", "feed"), ("feed_atom.xml", "feed"), ("jekyll_original.md", "jekyll"),
])
def test_sniff_table(name, reader):
    assert readers.sniff((FIX / name).read_text(encoding="utf-8")).NAME == reader


def test_published_is_always_timezone_aware():
    for f in sorted(FIX.iterdir()):
        for r in read_path(f):
            if isinstance(r, Article) and r.published is not None:
                assert isinstance(r.published, datetime) and r.published.utcoffset() is not None


def test_seed_like_mirror_markdown_fixture():
    a = _one("mirror_markdown.md")
    assert a.reader == "mirror-markdown"
    assert (a.outlet, a.via) == ("Voice of America", "看中国")
    assert a.title == "山口新路通车 牧民出行更方便"
    assert a.url == "https://www.secretchina.com/news/gb/2023/05/09/100200.html"
    assert a.published.isoformat() == "2023-05-08T00:00:00-04:00"  # EDT in May
    assert a.paragraphs[0].startswith("山口新路本周") and a.paragraphs[-1].endswith("看病。")
    assert a.captions == ["山口新路上赶着羊群的牧民。（图片来源：资料图）"]
    assert a.credits == {"original_title": ["高原山口新公路正式通车"], "dateline": ["看中国2023年5月8日讯"]}
    for bad in ("推荐阅读", "首页", "本文短网址", "版权所有", "原文地址", "长按", "http"):
        assert bad not in a.text


def test_seed_like_jekyll_mirror_fixture():
    a = _one("jekyll_mirror.md")
    assert a.published.isoformat() == "2023-01-31T15:30:12-05:00"
    assert a.published_basis == "url-timestamp"
    assert a.mirrored_at.isoformat() == "2023-02-02T03:10:00+00:00"
    assert a.authors == ["林海"] and a.credits == {"editor": ["周明"], "web_editor": ["吴青"]}
    assert a.captions == ["口岸排队的货车", "资料图片", "口岸外等待通关的车队。（视频截图）"]
    assert len(a.paragraphs) == 3 and "相关报道" not in a.text and "改造工程回顾" not in a.text


def test_seed_like_comment_stamp_fixtures():
    a = _one("stamp_address.txt")
    assert a.authors == ["Jane Doe", "Richard Roe"]  # re-cased from the footer's spelling
    assert a.published.isoformat() == "2023-07-04T12:30:00+08:00"
    assert a.mirrored_at.isoformat() == "2023-07-04T06:00:00+00:00"
    assert a.credits["contributors"] == ["Sam Smith"]
    assert a.captions == ["草原上新建的输电塔。 Example Photo Agency", "工人在检修线路。"]
    assert len(a.paragraphs) == 3 and "点击" not in a.text and "驻亚洲记者" not in a.text
    b = _one("stamp_dmy.txt")
    assert b.title == "湖区水资源会议闭幕"  # the column name after " - " is dropped
    assert b.published.isoformat() == "2023-11-14T21:15:00+01:00"
    assert "Array" not in b.text and b.paragraphs[0].startswith("为期三天")


def test_capture_time_is_the_fallback_only():
    text = "<!--1700000000000-->\n[标题](https://unknown.example/a)\n------\n<p>只有正文，没有时间。</p>"
    (a,) = read_bytes(text.encode(), "x.txt")
    assert a.published_basis == "capture-time"
    assert a.published.isoformat() == "2023-11-14T22:13:20+00:00"
