"""``heartland run`` (the README's main job) end to end, on the bundled data as a user's clone has it."""

import os
import subprocess
import sys
from pathlib import Path

from lxml import html


def test_run_on_bundled_data_without_a_corpus(tmp_path: Path):
    env = dict(os.environ, HEARTLAND_CORPUS=str(tmp_path / "no-corpus"), COLUMNS="160")
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "run", "--db", str(tmp_path / "h.duckdb"),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    out = res.stdout
    assert "bundled seed evidence" in out
    for step in ("2. world", "3. scenarios", "4. contested issues", "5. report"):
        assert step in out
    # the seeds' picture: Russia leads security in Kazakhstan
    kaz_row = next(line for line in out.splitlines() if line.strip("│ ").startswith("KAZ"))
    assert "RUS" in kaz_row.split("│")[2]
    report = tmp_path / "out" / "report.html"
    assert report.is_file() and report.stat().st_size > 10_000
    doc = html.fromstring(report.read_bytes())
    assert doc.xpath("//svg") or doc.xpath("//img[starts-with(@src, 'data:')]")
