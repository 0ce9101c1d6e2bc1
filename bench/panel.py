"""Bench: the data panel's cost in the world build, and the DOTS workbook importer.

    PYTHONPATH=. python bench/panel.py [--repeat 3] [--mirror /work/.mirror]

1. ``build_world(None, "2024-12-31")`` with the bundled panel against the same build
   without it (``panel=False``): what the panel (2,600 rows) adds to every world build.
2. Reading the seven IMF DOTS workbooks with the importer (both sheets, validation,
   orientation, exports/imports apart) against what a user would write instead:
   ``pandas.read_excel`` of both sheets of each workbook (no validation, no orientation).
Times are the fastest of ``--repeat`` calls, measured in one run (the ratio is what counts
on a shared machine).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    a = ap.parse_args()
    import pandas as pd

    from heartland.world import build_world
    from heartland.world.importers import read_file

    build_world(None, "2024-12-31")  # warm caches (panel file, institutions)
    with_panel = best(lambda: build_world(None, "2024-12-31"), a.repeat)
    without = best(lambda: build_world(None, "2024-12-31", panel=False), a.repeat)
    print(f"build_world 2024, bundled data: with panel {with_panel:.2f} s, without {without:.2f} s "
          f"(x{with_panel / without:.2f})")
    git = a.mirror / "SamLeBlanc+Direction-of-Trade-Map" / "repo"
    if not git.exists():
        print(f"no mirror at {git}: workbook bench skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in (103, 109, 192, 201, 210, 40, 162):
            p = Path(tmp) / f"DOTS_{n}.xlsx"
            p.write_bytes(subprocess.run(["git", "-C", str(git), "show", f"HEAD:data/DOTS/DOTS_{n}.xlsx"],
                                         capture_output=True, check=True).stdout)
            paths.append(p)
        ours = best(lambda: [read_file("imf-dots", p) for p in paths], a.repeat)
        plain = best(lambda: [pd.read_excel(p, sheet_name=["Exports, FOB", "Imports, CIF"], header=None)
                              for p in paths], a.repeat)
        print(f"7 DOTS workbooks: importer {ours:.2f} s, pandas.read_excel {plain:.2f} s (x{plain / ours:.2f})")


if __name__ == "__main__":
    main()
