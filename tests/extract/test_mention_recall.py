"""Mention and speaker recall on real prose (2026-12-03): one test per rule, each on a short
sentence written for the test (docs/extract.md, "Mention and speaker recall on the dev set")."""

from __future__ import annotations

from heartland.extract.gazetteer import to_simplified
from heartland.extract.mentions import find_mentions


def _orgs(text):
    norm = to_simplified(text)
    return {(m.surface, m.reason) for m in find_mentions(norm, text) if m.kind not in ("state", "place", "group")}


def _bodies(text):
    norm = to_simplified(text)
    return [m.surface for m in find_mentions(norm, text) if m.reason == "state_body"]


# --- a state's own body, named with the state first ----------------------------------------

def test_state_then_body_word_is_an_organisation_and_the_state_stays():
    text = "土库曼斯坦卫生部周三发布通告。"
    ms = find_mentions(to_simplified(text), text)
    assert ("土库曼斯坦卫生部", "organisation") in {(m.surface, m.kind) for m in ms}
    assert "TKM" in {m.actor for m in ms}          # the state is still a mention
    assert _bodies("乌兹别克斯坦边防局当天关闭了口岸。") == ["乌兹别克斯坦边防局"]
    assert _bodies("哈萨克斯坦總統府網站公告了這項決定。") == ["哈萨克斯坦總統府"]


def test_embassies_after_zhu_take_the_places_named():
    assert _bodies("示威者聚集在俄罗斯驻塔吉克斯坦杜尚别大使馆门前。") == ["俄罗斯驻塔吉克斯坦杜尚别大使馆"]
    # 联合国驻哈萨克办事处: the body belongs to the name before 驻, not to the state after it
    assert _bodies("文件送到联合国驻哈萨克办事处。") == []


def test_words_holding_a_body_word_are_no_body():
    assert _bodies("吉尔吉斯斯坦国内政局动荡。") == []          # 政局
    assert _bodies("俄罗斯边防部队进入该地区。") == []          # 部队
    assert _bodies("塔吉克边界当局关闭了口岸。") == []          # 当局
    assert _bodies("哈萨克斯坦北部发生地震。") == []            # 北部
    assert _bodies("袭击发生在塔什干音乐厅。") == []            # a hall is a venue, not a body
    assert _bodies("杜尚别同塔吉克斯坦内务部商定。") == ["塔吉克斯坦内务部"]   # the body starts at its own state
    assert _bodies("中国、哈萨克斯坦和乌兹别克斯坦三国交通部长会晤。") == []
    assert _bodies("中国在吉尔吉斯兴建物流中心。") == []        # a verb inside: no name
    assert _bodies("俄罗斯领事馆或者大使馆都没有回应。") == ["俄罗斯领事馆"]


def test_a_descriptor_after_the_state_starts_the_name_after_it():
    assert _bodies("乌兹别克斯坦政府撒马尔罕州移民厅发放了证件。") == ["撒马尔罕州移民厅"]


def test_a_shorter_form_of_a_body_takes_the_fuller_forms_id():
    text = "土库曼斯坦全国选举委员会宣布结果。土库曼斯坦选举委员会随后公布名单。"
    ms = [m for m in find_mentions(to_simplified(text), text) if m.reason == "state_body"]
    assert len(ms) == 2 and ms[0].actor == ms[1].actor


def test_a_states_body_makes_a_statement_event():
    from tests.extract.fixtures import make_article
    from heartland.extract.pipeline import extract_article
    art = make_article(["2025年3月4日，土库曼斯坦卫生部发表声明，否认出现新疫情。"], "2025-03-05T09:00:00+00:00",
                       language="zh", script="Hans")
    x = extract_article(art)
    assert any(e.type == "statement" and "TKM" in e.actors for e in x.events)


# --- gazetteer: heads of state and government, ministers, key bodies -----------------------

def _actors(text):
    return {m.actor for m in find_mentions(to_simplified(text), text, new_names=False)}


def test_leaders_and_ministers_of_the_region_and_the_powers_are_known():
    assert {"person:nazarbayev", "person:atambayev", "person:medvedev"} <= _actors(
        "纳扎尔巴耶夫、阿坦巴耶夫和梅德韦杰夫都出席了会议。")
    assert {"person:trump", "person:pompeo", "person:erdogan"} <= _actors(
        "Donald Trump sent Mike Pompeo to meet Recep Tayyip Erdogan.")
    assert "person:japarov" in _actors("總理賈帕羅夫週三表示。")           # another transliteration
    assert "person:jiang_zemin" in _actors("前国家主席江泽民时代。")


def test_key_bodies_media_and_banks_are_known():
    a = _actors("世界卫生组织、亚投行和美国国际开发署的代表出席，央视作了报道。")
    assert {"org:who", "org:aiib", "org:usaid", "media:cctv"} <= a
    assert {"org:gknb", "org:ebrd"} <= _actors("The GKNB said the EBRD office was closed.")


def test_a_university_named_after_a_leader_is_not_the_leader():
    a = _actors("他在纳扎尔巴耶夫大学发表演说。")
    assert "org:nazarbayev_university" in a and "person:nazarbayev" not in a


def test_a_persons_affiliation_follows_the_articles_date():
    from datetime import date
    from heartland.extract.gazetteer import affiliation_on, load_gazetteer
    e = load_gazetteer().entry("person:medvedev")
    assert affiliation_on(e, date(2010, 1, 1)).role.startswith("总统")
    assert affiliation_on(e, date(2015, 1, 1)).role.startswith("总理")
    assert affiliation_on(e, date(2022, 1, 1)).org == "org:security_council_rus"


def test_a_name_right_after_a_venue_is_the_venue_not_the_speaker():
    from tests.extract.fixtures import make_article
    from heartland.extract.pipeline import extract_article
    art = make_article(["2013年9月7日，习近平在哈萨克斯坦纳扎尔巴耶夫大学发表演说。"], "2013-09-08T09:00:00+00:00",
                       language="zh", script="Hans")
    x = extract_article(art)
    assert any(e.type == "statement" and "person:xi_jinping" in e.actors for e in x.events)


# --- English organisation names ------------------------------------------------------------

def _en(text):
    return {(m.surface, m.kind) for m in find_mentions(text, text)}


def test_an_english_name_ending_in_of_a_state_is_whole_and_the_state_stays():
    got = _en("Police raided the offices of the Democratic Party of Turkmenistan on Friday.")
    assert ("Democratic Party of Turkmenistan", "organisation") in got
    assert ("Turkmenistan", "state") in got


def test_a_states_embassy_or_ministry_in_english_is_an_organisation():
    got = _en("The U.S. Embassy closed. Uzbekistan's Foreign Ministry said it regretted it, "
              "and the Russian Embassy in Tashkent agreed.")
    assert {("U.S. Embassy", "organisation"), ("Uzbekistan's Foreign Ministry", "organisation"),
            ("Russian Embassy", "organisation"), ("Uzbekistan", "state")} <= got


def test_a_known_state_body_names_its_state_for_the_country_in_question():
    from tests.extract.fixtures import make_article
    from heartland.extract.pipeline import extract_article
    art = make_article(["吉尔吉斯斯坦议会选举引发抗议。", "总理卡拉巴耶夫、议长茹马别科夫于3日宣布辞职。"],
                       "2025-03-05T09:00:00+00:00", language="zh", script="Hans")
    res = next(e for e in extract_article(art).events if e.type == "resignation")
    assert "KGZ" in res.actors     # 吉尔吉斯斯坦议会 is org:jogorku_kenesh, a body of KGZ
