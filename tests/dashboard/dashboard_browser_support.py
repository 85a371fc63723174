"""Debian's Chromium driven by Playwright for the dashboard's browser tests; never a downloaded browser.
The test modules import the fixtures from here.

Where Chromium or Playwright is missing the browser tests skip with the reason; under CI=true
they fail, as the Neo4j tests do.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("PORTFOLIO_GRAPH_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI must run the dashboard browser tests: {reason}")
    pytest.skip(f"dashboard browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser_context():
    """A persistent Chromium context on a fresh user-data-dir, so no profile state carries over."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (scripts/install-system-deps installs Debian's chromium)")
    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True,
            viewport={"width": 1280, "height": 900}, locale="zh-CN", service_workers="block")
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def screenshot_dir():
    """Screenshots of each section, for a person to look at; never committed."""
    folder = Path(os.environ.get("PORTFOLIO_GRAPH_SCREENSHOTS") or tempfile.mkdtemp(prefix="dashboard-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndashboard screenshots: {folder}")
    return folder


class Watched:
    """A page with every console message, page error, dialog and request recorded."""

    def __init__(self, context, path: Path):
        self.page = context.new_page()
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.url = path.resolve().as_uri()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, section: str = "overview"):
        self.page.goto(f"{self.url}#{section}")
        self.page.wait_for_selector(f"#{section}.active > h2")
        return self.page

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if url.split("#")[0] != self.url]

    def close(self) -> None:
        self.page.close()
