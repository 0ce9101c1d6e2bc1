"""References to states already named (sentences written for these tests)."""

from __future__ import annotations

from heartland.extract.anaphora import resolve_references
from heartland.extract.mentions import find_mentions


def _refs(text):
    return [(r.surface, r.actor) for r in resolve_references(text, find_mentions(text, text))]


def test_two_countries_are_the_last_two_states_named():
    assert _refs("吉尔吉斯斯坦与塔吉克斯坦发生冲突，两国同意停火。") == [("两国", "KGZ"), ("两国", "TJK")]
    assert _refs("Kyrgyzstan and Tajikistan clashed; the two countries agreed a ceasefire.") == [
        ("the two countries", "KGZ"), ("the two countries", "TJK")]


def test_the_country_is_the_last_state_and_the_central_asian_country_one_of_the_five():
    assert _refs("俄罗斯支持哈萨克斯坦，该国总统表示感谢。") == [("该国", "KAZ")]
    assert _refs("Uzbekistan buys gas from Russia; the Central Asian country plans more.") == [
        ("the Central Asian country", "UZB")]


def test_no_reference_without_a_state_in_reach():
    assert _refs("两国同意停火。") == []
    assert _refs("中俄两国关系密切。") == []  # the compound right before names them
    far = "哈萨克斯坦" + "。" + "经济增长。" * 100 + "该国表示。"
    assert _refs(far) == []
