"""The explorer on the real build, served by uvicorn on loopback, and Chromium to drive it.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/setup``), driven through
Playwright for Python; the browser tests are skipped where it is missing. Screenshots of the
main pages go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ndkg.build import BuildResult
from ndkg.service import ServiceSettings, create_app
from ndkg.storage.store import EmbeddedStore
from tests.conftest import PROJECT
from tests.service.conftest import running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = PROJECT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def explorer_url(built: BuildResult, store: EmbeddedStore) -> Iterator[str]:
    """The base URL of the service, running on the real build."""
    app = create_app(ServiceSettings(home=built.path.parent.parent), store=store)
    with running(app) as url:
        yield url


@pytest.fixture
def http(explorer_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for the running service."""
    with httpx.Client(base_url=explorer_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run .ci/setup")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser: Browser, base_url: str, viewport: dict[str, int]) -> Iterator[Page]:
    """A page of ``viewport`` size on the service; a script error on it fails the test."""
    context = browser.new_context(viewport=viewport, base_url=base_url)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture
def page(browser: Browser, explorer_url: str) -> Iterator[Page]:
    """A desktop-sized page."""
    yield from open_page(browser, explorer_url, DESKTOP)


@pytest.fixture
def phone(browser: Browser, explorer_url: str) -> Iterator[Page]:
    """A phone-sized page (375 px wide)."""
    yield from open_page(browser, explorer_url, PHONE)


def screenshot(page: Page, name: str) -> None:
    """Save the whole page as ``artifacts/screenshots/{name}.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
