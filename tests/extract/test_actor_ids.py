"""The light id loader (for --actor) agrees with the full gazetteer it stands in for."""

from heartland.extract import query
from heartland.extract.actor_ids import actor_members
from heartland.extract.gazetteer import load_gazetteer


def test_same_ids_and_members_as_the_gazetteer():
    gaz = load_gazetteer()
    light = actor_members()
    assert set(light) == set(gaz.entries)
    assert {k: tuple(e.members) for k, e in gaz.entries.items()} == light


def test_actor_set_includes_groups_and_rejects_unknown_ids():
    groups = {g for g, e in load_gazetteer().entries.items() if "KAZ" in e.members}
    assert groups, "the gazetteer groups Kazakhstan somewhere (C5)"
    assert query.actor_set("kaz") == {"KAZ"} | groups
    import pytest

    from heartland.errors import UserError
    with pytest.raises(UserError, match="unknown actor id 'XXQ'"):
        query.actor_set("XXQ")


def test_a_state_outside_the_listed_files_is_still_known():
    from heartland.extract.actor_ids import listed_members

    assert "NZL" not in listed_members() and "NZL" in actor_members()
    assert query.actor_set("nzl") == {"NZL"} | {g for g, m in listed_members().items() if "NZL" in m}
