"""The five seed articles, read exactly (issue 3).

No article text lives here: bodies are checked by short prefixes/suffixes (at most ten
characters) and by comparing against pieces pulled from the seed files at test time.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from heartland.corpus import Article, ReadError, read_path
from heartland.corpus.records import article_id
from heartland.corpus.text import normalise

pytestmark = pytest.mark.seeds

EXPECTED = {
    "000": dict(
        title_prefix="中俄“背靠背”合作 ", title_len=17, title_sha='b938f9c78ae8dbb7',
        url="https://www.secretchina.com/news/gb/2022/01/25/995936.html",
        outlet="Voice of America", via="看中国", authors=[],
        published="2022-01-24T00:00:00-05:00", basis="dateline",
        first="俄罗斯总统普京2月", last="对北京更加警惕。", n_captions=1),
    "001": dict(
        title_prefix="中俄联盟是否牢不可破", title_len=23, title_sha='43fbc67952e06bcc',
        url="https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/"
            "jw-russia-china-strategic-security-consultation-11122024134759.html",
        outlet="Radio Free Asia", via=None, authors=[],
        published="2024-11-12T13:47:59-05:00", basis="url-timestamp",
        mirrored_at="2024-11-13T05:39:34.570000+00:00",
        first="随着中国与俄罗斯不断", last="对抗西方的武器。", n_captions=4),
    "002": dict(
        title_prefix="中俄影响力消长 ", title_len=17, title_sha='5d52e9238ccc5354',
        url="https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/lu-05242024100614.html",
        outlet="Radio Free Asia", via=None, authors=["乔琴恩"],
        published="2024-05-24T10:06:14-04:00", basis="url-timestamp",
        mirrored_at="2024-05-27T01:40:37.939000+00:00",
        first="中国与中亚五国日前首", last="也因此越来越复杂。", n_captions=4),
    "003": dict(
        title_prefix="中俄是如何在中亚", title_len=15, title_sha='2142f0ad0fdf3305',
        url="https://cn.nytimes.com/world/20240704/china-russia-central-asia/",
        outlet="The New York Times Chinese", via=None,
        authors=["Keith Bradsher", "Anatoly Kurmanaev"],
        published="2024-07-04T04:19:00+08:00", basis="pudate",
        mirrored_at="2024-07-04T08:37:01+00:00",
        first="随着俄罗斯在乌克兰陷", last="常驻研究员邱芷恩说。", n_captions=6),
    "004": dict(
        title_prefix="哈萨克斯坦危机是否会", title_len=19, title_sha='91bd64a2c6d885af',
        url="https://www.rfi.fr/cn/%E4%B8%93%E6%A0%8F%E6%A3%80%E7%B4%A2/"
            "%E8%A6%81%E9%97%BB%E8%A7%A3%E8%AF%B4/20220115-%E5%93%88%E8%90%A8%E5%85%8B%E6%96%AF"
            "%E5%9D%A6%E5%8D%B1%E6%9C%BA%E6%98%AF%E5%90%A6%E4%BC%9A%E5%BD%B1%E5%93%8D%E4%B8%AD"
            "%E4%BF%84%E5%85%B3%E7%B3%BB%E4%BA%92%E5%8A%A8",
        outlet="RFI", via=None, authors=[],
        published="2022-01-15T17:33:00+01:00", basis="dateline",
        mirrored_at="2022-01-15T16:45:01+00:00",
        first="中亚国家哈萨克斯坦境", last="秘鲁的贸易总量。", n_captions=0),
}

# Boilerplate that must not survive in any body (labels and prompts, not article prose).
FORBIDDEN = ["Array", "责编", "网编", "记者：", "原标题", "本文短网址", "荣誉会员", "版权所有",
             "点击查看", "点击更多", "翻译：", "http", "github", "首页", "翻墙", "对本文有",
             "手机上长按", "原文地址", "来源:", "【看中国", "严禁建立镜像", "NaN", "------",
             "图片来源", "视频截图", "纽约时报中文网", "](", "<", ">", "&nbsp;", "｜"]


@pytest.fixture(scope="module")
def seeds(seed_files) -> dict[str, Article]:
    out = {}
    for key, path in seed_files.items():
        results = list(read_path(path))
        assert len(results) == 1, results
        assert not isinstance(results[0], ReadError), str(results[0])
        out[key] = results[0]
    return out


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_metadata(seeds, key):
    a, e = seeds[key], EXPECTED[key]
    assert a.title.startswith(e["title_prefix"]) and len(a.title) == e["title_len"], a.title
    assert hashlib.sha256(a.title.encode()).hexdigest()[:16] == e["title_sha"], a.title
    assert "(图)" not in a.title and " - " not in a.title
    assert a.url == e["url"]
    assert a.outlet == e["outlet"]
    assert a.via == e["via"]
    assert a.authors == e["authors"]
    assert a.published is not None and a.published.isoformat() == e["published"]
    assert a.published_basis == e["basis"]
    if "mirrored_at" in e:
        assert a.mirrored_at is not None and a.mirrored_at.isoformat() == e["mirrored_at"]
    assert a.language == "zh" and a.script == "Hans"
    assert len(a.captions) == e["n_captions"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_body_bounds_and_clean(seeds, key):
    a, e = seeds[key], EXPECTED[key]
    assert a.paragraphs[0].startswith(e["first"]), a.paragraphs[0][:20]
    assert a.paragraphs[-1].endswith(e["last"]), a.paragraphs[-1][-20:]
    for bad in FORBIDDEN:
        assert bad not in a.text, (key, bad)
    for p in a.paragraphs:
        assert p == p.strip() and "\n" not in p and "  " not in p
    for c in a.captions:  # captions are kept apart from the body
        assert c not in a.text


def test_text_and_normalised_contract(seeds):
    for a in seeds.values():
        assert a.text == "\n".join(a.paragraphs)
        assert len(a.normalised) == len(a.text)
        assert a.normalised == normalise(a.text)
        assert a.id == article_id(a.normalised)


def _raw(seed_files, key) -> str:
    return seed_files[key].read_text(encoding="utf-8")


def test_related_article_lists_are_dropped(seeds, seed_files):
    for key in ("001", "002"):
        raw = _raw(seed_files, key)
        related = re.findall(r"<li>.*?</li>", raw)
        assert len(related) == 2
        for li in related:
            title = re.sub(r"<[^>]+>", "", li).strip()
            assert title and title not in seeds[key].text


def test_figure_captions_and_credits_go_to_captions(seeds, seed_files):
    for key in ("001", "002"):
        raw = _raw(seed_files, key)
        figcaps = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", raw)
        lead = re.search(r'lead_image_caption">(.*?)</span>', raw).group(1)
        credit = re.search(r'class="copyright">(.*?)</span>', raw).group(1)
        assert seeds[key].captions == [lead, credit] + figcaps
    raw = _raw(seed_files, "003")
    small = re.findall(r"<small[^>]*>(.*?)</small>", raw)
    assert len(small) == 5
    assert seeds["003"].captions[1:] == small
    assert seeds["003"].captions[0].endswith("via Associated Press")
    cap0 = re.search(r'alt="([^"]+)"', _raw(seed_files, "000")).group(1)
    assert seeds["000"].captions[0].startswith(cap0)


def test_nyt_footer_bios_and_credits_out_of_body(seeds, seed_files):
    raw = _raw(seed_files, "003")
    footer = re.search(r"<footer>(.*)</footer>", raw, re.S).group(1)
    for p in re.findall(r"<p>(.*?)</p>", footer):
        text = re.sub(r"<[^>]+>", "", p).strip()
        assert text[:12] not in seeds["003"].text
    assert seeds["003"].credits["contributors"] == ["Suhasini Raj", "Li You"]


def test_editor_lines_become_metadata(seeds):
    assert seeds["001"].credits["editor"] == ["何平"]
    assert seeds["001"].credits["web_editor"] == ["洪伟"]
    assert seeds["002"].credits["editor"] == ["何平"]


def test_voa_republication_is_recognised_from_the_text(seeds, seed_files):
    a = seeds["000"]
    raw = _raw(seed_files, "000")
    assert "美國之音" in raw  # the 来源 credit names the outlet
    assert a.outlet == "Voice of America" and a.via == "看中国"
    assert a.credits["original_title"][0].startswith("中俄“背靠背”合作")
    assert "secretchina.com" in a.url and "github" not in a.url


def test_rfi_array_artefact_and_dateline_removed(seeds, seed_files):
    assert "Array" in _raw(seed_files, "004")
    assert "Array" not in seeds["004"].text
    assert "15/01/2022" not in seeds["004"].text
    assert "Levystone" in seeds["004"].text  # interview labels are prose, kept


def test_paragraph_counts(seeds):
    assert {k: len(a.paragraphs) for k, a in seeds.items()} == {
        "000": 33, "001": 15, "002": 10, "003": 27, "004": 15}
