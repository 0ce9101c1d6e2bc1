"""Where the shared corpus is looked for: beside the checkout or the cwd, or $HEARTLAND_CORPUS; no fixed path."""

from __future__ import annotations

from pathlib import Path

from heartland import paths


def test_no_fixed_machine_location(tmp_path: Path, monkeypatch):
    clone = tmp_path / "clone"
    work = tmp_path / "a" / "b"
    clone.mkdir()
    work.mkdir(parents=True)
    monkeypatch.delenv("HEARTLAND_CORPUS", raising=False)
    monkeypatch.setattr(paths, "REPO_DIR", clone)
    monkeypatch.chdir(work)
    # nothing beside the clone or the cwd: not found, whatever exists elsewhere on the machine
    assert paths.shared_corpus_dir() is None
    assert paths.seeds_dir() is None
    (tmp_path / "shared" / "corpus" / "seeds").mkdir(parents=True)
    assert paths.shared_corpus_dir() == (tmp_path / "shared" / "corpus").resolve()
    assert paths.seeds_dir() == (tmp_path / "shared" / "corpus" / "seeds").resolve()


def test_env_overrides_and_a_missing_env_dir_means_none(tmp_path: Path, monkeypatch):
    (tmp_path / "c").mkdir()
    monkeypatch.setenv("HEARTLAND_CORPUS", str(tmp_path / "c"))
    assert paths.shared_corpus_dir() == (tmp_path / "c").resolve()
    monkeypatch.setenv("HEARTLAND_CORPUS", str(tmp_path / "missing"))
    assert paths.shared_corpus_dir() is None


def test_ci_script_points_at_the_team_copy_only_when_none_is_beside_the_clone():
    script = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    line = next(x for x in script.splitlines() if "HEARTLAND_CORPUS=" in x or "then" in x and "shared" in x)
    assert "[ ! -d ../shared/corpus ]" in line and "[ -d /work/shared/corpus ]" in line
    assert "/work/shared" not in (Path(paths.__file__).read_text())
