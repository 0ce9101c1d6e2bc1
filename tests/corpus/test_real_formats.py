"""Single rules for the real mirror formats (issue 13), on prose written for these tests.

The real articles themselves are scored by ``tests/extract/real_gold.py`` (which reads them
from ../shared/corpus/real); here each rule is pinned on a made-up line.
"""

from __future__ import annotations

from datetime import date

import pytest

from heartland.corpus import outlets, read_bytes
from heartland.corpus.boilerplate import clean_paragraphs
from heartland.corpus.build import clean_title
from heartland.corpus.dates import decide_published, stamp_line, url_date


def _one(text: str, name: str = "doc.md"):
    [a] = read_bytes(text.encode("utf-8"), name)
    assert not hasattr(a, "message"), str(a)
    return a


@pytest.mark.parametrize("alias,name", [
    ("(臺)中央社CNA", "Central News Agency"), ("中央社", "Central News Agency"),
    ("联合早报", "Lianhe Zaobao"), ("大纪元", "Epoch Times"), ("新唐人", "NTDTV"),
    ("RTI 中央廣播電臺", "Radio Taiwan International"), ("寒冬", "Bitter Winter"),
    ("Nei.st", "Nei.st"), ("经济学人en", "The Economist"), ("路透", "Reuters"),
    ("路透中文", "Reuters"), ("法新社", "AFP"), ("RFE/RL (Radio Free Europe/Radio Liberty)", "RFE/RL"),
    ("人民日报", "People's Daily"), ("24.kg", "24.kg"), ("The Times of Central Asia",
                                                         "The Times of Central Asia"),
    ("bne IntelliNews", "bne IntelliNews"), ("The Defense Post", "The Defense Post"),
    ("The Nation (Pakistan)", "The Nation"),
])
def test_outlet_aliases(alias, name):
    assert outlets.by_name(alias).name == name


@pytest.mark.parametrize("url,name", [
    ("https://www.cna.com.tw/news/aopl/202001010001.aspx", "Central News Agency"),
    ("https://www.zaobao.com/realtime/china/story20200101-1", "Lianhe Zaobao"),
    ("https://www.rti.org.tw/news/view/id/1", "Radio Taiwan International"),
    ("https://zh.bitterwinter.org/x/", "Bitter Winter"),
    ("https://www.epochtimes.com/gb/20/1/1/n1.htm", "Epoch Times"),
])
def test_outlet_domains(url, name):
    assert outlets.by_url(url).name == name


@pytest.mark.parametrize("url,ymd", [
    ("https://www.economist.com/asia/2020/10/03/slug", (2020, 10, 3)),
    ("https://www.epochtimes.com/gb/20/11/3/n12345.htm", (2020, 11, 3)),
    ("https://www.zaobao.com/realtime/china/story20210408-1", (2021, 4, 8)),
    ("http://www.rfi.fr//cn/中国/20210513-标题", (2021, 5, 13)),
    ("https://www.voachinese.com/a/some-slug-10282020/123.html", (2020, 10, 28)),
    ("https://www.voachinese.com/a/some-slug-20200915/123.html", (2020, 9, 15)),
    ("https://www.cna.com.tw/news/firstnews/202010060239.aspx", (2020, 10, 6)),
    ("http://en.people.cn/n3/2024/0607/c90000-1.html", (2024, 6, 7)),
    ("https://www.nation.com.pk/19-May-2023/slug", (2023, 5, 19)),
    ("https://www.rferl.org/a/slug/27953904.html", None),
    ("https://www.dw.com/zh/标题/a-55172426", None),
])
def test_url_dates(url, ymd):
    assert url_date(url) == ymd


@pytest.mark.parametrize("line", ["2020-10-07T07:47:14.978Z", "Sat, 10 Jul 2021 17:15:06 GMT",
                                  "30/04/2021 - 10:02", "09:34, June 07, 2024", "2020年10月30日"])
def test_timestamp_lines(line):
    assert stamp_line(line, "Europe/Berlin") is not None


def test_stated_time_on_the_outlet_clock_and_url_date_in_utc():
    # 14/05/2021 01:21 Paris is 13/05 23:21 UTC: a URL dated the 13th agrees with it
    t = stamp_line("14/05/2021 - 01:21", "Europe/Paris")
    dt, basis = decide_published("http://www.rfi.fr/cn/x/20210513-y", "Europe/Paris", [(t, "stated-time")])
    assert dt.date() == date(2021, 5, 14) and basis == "stated-time"
    # an RFC 822 GMT line is read on the newsroom's clock (Washington: the day before)
    t = stamp_line("Thu, 29 Oct 2020 03:23:07 GMT")
    dt, _ = decide_published(None, "America/New_York", [(t, "stated-time")])
    assert dt.date() == date(2020, 10, 28)


def test_titles_lose_outlet_suffixes_and_notes():
    assert clean_title("标题 – 法国国际广播电台 - RFI") == "标题"
    assert clean_title("[專題] 標題 與俄 - 200804-18") == "[專題] 標題 與俄"
    assert clean_title("Some headline (title inferred from URL slug; not in the excerpt)") == "Some headline"
    assert clean_title("标题(组图)") == "标题"


@pytest.mark.parametrize("para,author,start", [
    ("（大纪元记者张三报导）正文从这里开始。", "张三", "正文从这里开始。"),
    ("（大纪元记者张三综合报导）正文从这里开始。", "张三", "正文从这里开始。"),
    ("（中央社記者王小明安卡拉17日專電）正文從這裡開始。", "王小明", "正文從這裡開始。"),
    ("（中央社土庫曼阿什哈巴德3日綜合外電報導）美聯社報導，正文。", None, "美聯社報導，正文。"),
    ("（法新社杜尚别3日电） 正文从这里开始。", None, "正文从这里开始。"),
    ("(德国之声中文网) 正文从这里开始。", None, "正文从这里开始。"),
    ("【看中国2019年3月5日讯】（看中国记者李四综合报导）正文。", "李四", "正文。"),
    ("路透北京11月10日 - 正文从这里开始，还有一些字。", None, "正文从这里开始，还有一些字。"),
    ("XIAN-Chinese officials opened a meeting on Thursday.", None, "Chinese officials opened"),
])
def test_leading_datelines_and_bylines(para, author, start):
    c = clean_paragraphs([para, "第二段。"])
    assert c.paragraphs[0].startswith(start)
    assert c.authors == ([author] if author else [])


@pytest.mark.parametrize("para,authors,credit", [
    ("自由亚洲电台特约记者张三旧金山报道 编辑：李四 网编：王五", ["张三"], ("web_editor", "王五")),
    ("(记者张三综合报导/责任编辑：李四)", ["张三"], ("editor", "李四")),
    ("中央社駐巴黎特派員王小明／3月2日", ["王小明"], None),
    ("张三/李四 (美联社、塔斯社）", ["张三"], ("editor", "李四")),
    ("（共同採訪記者：William Roe）", [], ("contributors", "William Roe")),
    ("（法新社）", [], ("source", "法新社")),
    ("（綜合報導）", [], ("source", "綜合報導")),
    ("（完）", [], None),
    ("译者：张三/核稿：李四", [], ("translation", "张三")),
    ("编译：张三 审校：李四", [], ("editor", "李四")),
])
def test_signoffs_leave_the_body(para, authors, credit):
    c = clean_paragraphs(["正文第一段。", para])
    assert c.paragraphs == ["正文第一段。"]
    assert c.authors == authors
    if credit:
        assert credit[1] in c.credits[credit[0]]


@pytest.mark.parametrize("para,clean", [
    ("最后一句。（譯者：張三）1091006", "最后一句。"),
    ("最后一句。（編輯：張三）1091014", "最后一句。"),
    ("最后一句。（译者：张三/核稿：李四）", "最后一句。"),
    ("最后一句。（完）", "最后一句。"),
    ("The last sentence. ■", "The last sentence."),
    ("最后一句。 （本文依据了美联社的报道。)", "最后一句。"),
    ("中亞各國為應對，一...<more>".replace("<more>", "...more"), "中亞各國為應對，一"),
])
def test_trailing_credits_and_markers(para, clean):
    c = clean_paragraphs(["第一段。", para])
    assert c.paragraphs[-1] == clean
    assert not any("译者" in a or "核稿" in a for a in c.authors)


@pytest.mark.parametrize("line", [
    "获取更多RSS：", "Related", "相关图集：一些图片", "延伸閱讀",
    "The post Something happened first appeared on Some Site.",
    "2020-10-07T07:47:14.978Z", "Sat, 10 Jul 2021 17:15:06 GMT", "30/04/2021 - 10:02",
])
def test_footers_and_timestamp_lines_are_not_body(line):
    assert clean_paragraphs(["第一段。", line, "第二段。"]).paragraphs == ["第一段。", "第二段。"]


def test_byline_above_the_opening_timestamp():
    c = clean_paragraphs(["null 张三", "2020-11-11T02:11:57.662Z", "正文第一段。"])
    assert c.authors == ["张三"] and c.paragraphs == ["正文第一段。"]
    assert c.stamps == ["2020-11-11T02:11:57.662Z"]


def test_print_edition_footnote_is_a_credit():
    c = clean_paragraphs(["Body.", 'This article appeared in the Asia section of the print edition '
                          'under the headline "Dry land"'])
    assert c.paragraphs == ["Body."] and c.credits["print_headline"] == ["Dry land"]


FEEDX = """---
layout: post
title: "示例标题"
date: 2020-11-11T02:54:39.000Z
author: 德国之声
from: https://www.dw.com/zh/x/a-1
mood: happy
---
<!--1605063279000-->
[示例标题](https://www.dw.com/zh/x/a-1)
------

<div>
<div><i>null 张三<br>2020-11-11T02:11:57.662Z</i></div><img src="a.jpg"><div><small style="color: #999;">图片说明文字。</small></div><p>(德国之声中文网) 第一段正文。</p><p>第二段正文。</p><h3>相关图集：一些图片</h3><div><img src="b.jpg"><b>图一</b>：很长的说明文字。</div><p>张三/李四（路透社）</p><p><em>© 2019年德国之声版权声明：示例。</em></p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>
</div>
"""


def test_feed_mirror_post_end_to_end():
    a = _one(FEEDX)
    assert a.paragraphs == ["第一段正文。", "第二段正文。"]
    assert a.authors == ["张三"] and a.credits["editor"] == ["李四"]
    assert a.outlet == "Deutsche Welle"
    assert a.published.isoformat() == "2020-11-11T03:11:57.662000+01:00"  # Berlin clock
    assert a.published_basis == "stated-time"
    assert "图片说明文字。" in a.captions and any("图一" in c for c in a.captions)
    assert a.mirrored_at is not None
    # an unknown front-matter key is a warning naming key and file, not an error
    assert len(a.warnings) == 1 and "'mood'" in a.warnings[0] and "doc.md" in a.warnings[0]


def test_front_matter_url_and_outlet_keys():
    for url_key in ("url", "link", "source_url"):
        for outlet_key in ("outlet", "source"):
            a = _one(f"---\ntitle: Water deal\ndate: 2022-06-14\n{url_key}: https://example.org/a\n"
                     f"{outlet_key}: Reuters\n---\nTwo governments signed a deal.\n")
            assert a.url == "https://example.org/a" and a.outlet == "Reuters", (url_key, outlet_key)
            assert not a.warnings


def test_agency_as_front_matter_author_is_the_outlet():
    a = _one("---\ntitle: 标题\ndate: 2020-10-06T10:57:19.000Z\nauthor: (臺)中央社CNA\n"
             "from: https://www.cna.com.tw/news/firstnews/202010060239.aspx\n---\n"
             "<p>（中央社土庫曼阿什哈巴德3日綜合外電報導）美聯社報導，正文。（譯者：張三）1091006</p>\n")
    assert a.outlet == "Central News Agency" and a.authors == []
    assert a.paragraphs == ["美聯社報導，正文。"] and a.credits["translation"] == ["張三"]
    assert a.published.date() == date(2020, 10, 6) and a.published_basis == "url-date"


EXCERPT = """URL: https://www.rferl.org/a/some-slug/27953904.html
Title: Something Happened In Bishkek (title inferred from URL slug; not in the excerpt)
Outlet: RFE/RL (Radio Free Europe/Radio Liberty)
Date: 2016-08-30
Retrieved-via: stored public copy; excerpt as returned
Mood: calm
---
 date 2016-08-30 Something Happened In Bishkek

by AFP Staff Writers

Bishkek, Kyrgyzstan (AFP) Aug. 30, 2016

Accessibility links

Breaking News

please wait

0:00 0:00:52 0:00

Officials in Kyrgyzstan said a car exploded near a building on Tuesday.

A second paragraph follows (Photo/Someone)
"""


def test_page_excerpt_header_and_furniture():
    a = _one(EXCERPT, "x.txt")
    assert a.title == "Something Happened In Bishkek"
    assert a.url.endswith("27953904.html") and a.outlet == "RFE/RL"
    assert a.published.date() == date(2016, 8, 30)
    assert a.paragraphs == ["Officials in Kyrgyzstan said a car exploded near a building on Tuesday."]
    assert a.authors == [] and a.credits["retrieved_via"]
    assert any("'Mood'" in w and "x.txt" in w for w in a.warnings)


def test_header_date_with_a_note():
    a = _one("URL: https://example.org/a\nTitle: T\nDate: 2019-09-03 (date of the event; not stated)\n"
             "---\nHundreds gathered in the square on Tuesday.\n", "n.txt")
    assert a.published.date() == date(2019, 9, 3)
