"""Fixtures for the dashboard tests: a store built from the seeds, a live server, a browser.

The server runs the real ``heartland serve`` command in a subprocess on a free loopback
port; the browser is Debian's Chromium driven by Playwright (installed by
scripts/test-setup.sh; ``playwright install`` is never used).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from web_store_builder import Server, build_seed_store  # tests/web is on sys.path (no __init__.py)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def seed_store(seeds_dir: Path, tmp_path_factory) -> Path:
    """A store built from the five seed articles by the pipeline's own commands."""
    return build_seed_store(seeds_dir, tmp_path_factory.mktemp("seedstore"))


@pytest.fixture(scope="session")
def server(seed_store: Path, tmp_path_factory, output_dir: Path):
    srv = Server(seed_store, tmp_path_factory.mktemp("webruns"), output_dir / "web-server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test-setup.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    # bypass_csp: Playwright's wait_for_function evaluates its predicate as a string in the
    # page, which the dashboard's Content-Security-Policy (no eval) blocks; the page under
    # its real policy is tested in test_rebinding.py::test_the_pages_run_under_their_csp
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, device_scale_factor=1, bypass_csp=True)
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))

    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
