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


def test_ids_are_kept_per_user_and_read_back_the_same(tmp_path, monkeypatch):
    from heartland.extract import actor_ids

    monkeypatch.setenv("HEARTLAND_CACHE_DIR", str(tmp_path))
    texts = {n: (actor_ids.GAZ_DIR / n).read_bytes() for n in actor_ids.ID_FILES}
    parsed = actor_ids._members_of(texts)
    actor_ids.listed_members.cache_clear()
    try:
        assert actor_ids.listed_members() == parsed  # parsed, then kept
        kept = list(tmp_path.glob("actor-ids-*.json"))
        assert len(kept) == 1
        actor_ids.listed_members.cache_clear()
        assert actor_ids.listed_members() == parsed  # read back from the JSON
        kept[0].write_text("[1, 2")  # a damaged file is parsed again and replaced
        actor_ids.listed_members.cache_clear()
        assert actor_ids.listed_members() == parsed
        assert actor_ids.listed_members.__wrapped__() == parsed
        (tmp_path / "actor-ids-0123.json").write_text("{}")  # ids of older files are dropped
        actor_ids.listed_members.cache_clear()
        kept[0].unlink()
        assert actor_ids.listed_members() == parsed
        assert [p.name for p in tmp_path.glob("actor-ids-*.json")] == [kept[0].name]
    finally:
        actor_ids.listed_members.cache_clear()


def test_ids_without_a_writable_cache_are_still_right(tmp_path, monkeypatch):
    from heartland.extract import actor_ids

    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HEARTLAND_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    actor_ids.listed_members.cache_clear()
    try:
        assert actor_ids.listed_members() == actor_ids._members_of(
            {n: (actor_ids.GAZ_DIR / n).read_bytes() for n in actor_ids.ID_FILES})
    finally:
        actor_ids.listed_members.cache_clear()
