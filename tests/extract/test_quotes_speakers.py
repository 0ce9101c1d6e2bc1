"""Speakers: one rule per test, on prose written for these tests (no article text)."""

from __future__ import annotations

from tests.extract.test_units import _x


def _speakers(paragraphs, language="zh"):
    _, x = _x(paragraphs, language=language)
    return {(q.speaker, q.speaker_name) for q in x.quotes if q.speaker}, x


def test_title_then_transliterated_name_is_a_whole_name():
    got, _ = _speakers(["俄罗斯中亚问题学者卡拉巴耶夫告诉记者，铁路建设至少还需要五年时间才能完成。"])
    assert ("person:卡拉巴耶夫", "卡拉巴耶夫") in got
    # never a fragment of the name
    assert not any(n in ("拉巴耶夫", "巴耶夫") for _, n in got)


def test_title_then_chinese_name_ends_where_the_date_begins():
    got, _ = _speakers(["中国驻吉尔吉斯斯坦大使杜德文上周日表示，两国合作的前景十分广阔，双方将继续推进项目。"])
    assert any(n == "杜德文" for _, n in got)


def test_a_name_before_its_latin_apposition_loses_the_title():
    got, x = _speakers(["吉尔吉斯斯坦副总理马卡舍夫（Ulan Makashev）说，新的口岸将在明年春天开放并投入使用。",
                        "马卡舍夫还说，海关将增加人手以缩短等待的时间。"])
    assert {pid for pid, _ in got} == {"person:ulan_makashev"}
    assert {q.reason for q in x.quotes} >= {"reported:fallback_name_apposition"}


def test_dotted_name_and_its_short_form_are_one_speaker():
    got, _ = _speakers(["当地居民阿依古丽·托合提告诉记者，村里的道路去年才修通，很多人因此找到了工作。",
                        "阿依古丽说，她希望更多的年轻人能够回到家乡工作和生活。"])
    assert len({pid for pid, _ in got}) == 1


def test_a_title_alone_is_no_speaker():
    got, _ = _speakers(["总统表示，国家将继续奉行多元平衡的外交政策，同所有邻国保持友好关系。"])
    assert got == set()


def test_spokesperson_named_is_the_speaker_not_the_ministry():
    got, x = _speakers(["中国外交部发言人华春莹表示，中方一贯尊重各国人民自主选择的发展道路。"])
    assert {n for _, n in got} == {"华春莹"}
    assert x.quotes[0].affiliation == "org:mfa_chn"


def test_a_ministry_that_states_something_is_the_speaker():
    got, x = _speakers(["吉尔吉斯外交部周三表示，边境地区的局势已经基本恢复平静，居民可以返回家园。"])
    assert ("org:mfa_kgz", "吉尔吉斯外交部") in got
    assert x.quotes[0].reason.endswith("organisation_speaker")


def test_an_unknown_commission_before_a_speech_verb_is_the_speaker():
    got, _ = _speakers(["塔吉克斯坦中央选举委员会宣布，本次选举的投票率超过了百分之八十五。"])
    assert any(n == "塔吉克斯坦中央选举委员会" for _, n in got)


def test_a_state_with_guanfang_speaks_as_the_state():
    got, x = _speakers(["中国官方强调，安全合作是两国关系的重要组成部分，双方肩负维护地区稳定的责任。"])
    assert ("CHN", "中国官方") in got


def test_a_state_as_an_object_does_not_speak():
    got, _ = _speakers(["双方代表团向中国表示，合作项目将按照原定计划推进并于年底完工。"])
    assert not any(pid == "CHN" for pid, _ in got)


def test_according_to_an_agency():
    got, _ = _speakers(["据法新社报道，示威活动在首都持续了三天，警方逮捕了数十名参与者。"])
    assert ("media:afp", "法新社") in got


def test_pronoun_takes_the_last_speaker():
    got, x = _speakers(["学者卡拉巴耶夫认为，俄罗斯仍然是该地区最重要的安全伙伴。他说，这一点短期内不会改变。"])
    assert [q.speaker for q in x.quotes] == ["person:卡拉巴耶夫"] * 2


def test_corner_brackets_and_guillemets_are_quotes():
    got, x = _speakers(["乌兹别克斯坦外长萨伊多夫说：「我们欢迎所有伙伴参与地区的互联互通建设。」"])
    assert any(q.direct for q in x.quotes) and {n for _, n in got} == {"萨伊多夫"}
    got, x = _speakers(["«We do not choose between partners; we add them,» Farhod Nazarov, a researcher at the "
                        "Tashkent Institute, said."], language="en")
    assert ("person:farhod_nazarov", "Farhod Nazarov") in got


def test_english_title_is_cut_from_the_name():
    got, _ = _speakers(["Deputy Prime Minister Aibek Temirov said the border would reopen next week."], language="en")
    assert ("person:aibek_temirov", "Aibek Temirov") in got


def test_english_leader_short_name():
    got, _ = _speakers(["Xi said the two countries would deepen their cooperation in energy and transport."],
                       language="en")
    assert ("person:xi_jinping", "Xi") in got


def test_a_person_announcing_is_no_quote_but_a_ministry_announcing_is():
    got, _ = _speakers(["外长王毅宣布，会议将于下月在阿斯塔纳举行。"])
    assert not any(pid == "person:wang_yi" for pid, _ in got)


def test_confidence_and_reason_are_set_per_method():
    _, x = _speakers(["中国外交部发言人华春莹说：“中方支持地区国家维护自身安全与稳定的努力。”",
                      "据法新社报道，示威活动在首都持续了三天，警方逮捕了数十名参与者。"])
    reasons = {q.reason.split(":")[0]: q.confidence for q in x.quotes}
    assert reasons["direct"] > reasons["according_to"]
    assert all(0 < q.confidence <= 1 for q in x.quotes)
