"""Recalibrate the bundled posterior on the current world: one command after the data change.

    python scripts/calibrate_posterior.py [--workers 2]

Same as ``heartland calibrate --write-bundle``: fits every parameter to 2015-2020 (emcee),
scores the posterior out of sample (2021 on) with the hindcast, and writes
heartland/data/posterior/ (draws + provenance). Outputs also under out/calibrate/.
"""

from __future__ import annotations

import sys
from pathlib import Path

# this checkout's heartland, whatever is installed in the environment
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heartland.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.argv = ["heartland", "calibrate", "--write-bundle", *sys.argv[1:]]
    main()
