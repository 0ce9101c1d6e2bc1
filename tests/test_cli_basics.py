import subprocess
import sys

from heartland import __version__


def test_version_prints_package_version():
    out = subprocess.run([sys.executable, "-m", "heartland.cli", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"heartland {__version__}"


def test_unknown_command_is_a_usage_error_not_a_traceback():
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "no-such-command"],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
