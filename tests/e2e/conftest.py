"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser) against
pytest-django's live server, with the named cast of tests/conftest.py.

- `browser`: one headless Chromium for all the browser tests; every test opens fresh contexts through `faces`
  (`faces.phone()` 375×812 with a mobile user agent and touch, `faces.desktop()` 1920×1080). A test is
  skipped, saying why, only when /usr/bin/chromium is missing.
- `sms`: the citizen's phone. Messages leave Suban through the SMS gateway as usual (huey runs tasks at
  once in tests); the inbox records each one at the gateway, so a test reads the login code the citizen
  would receive and types it into the login page.
- Every console error and uncaught page error of any page a test opens fails that test.
- Screenshots go to test-output/screenshots/ (git-ignored).
- Pages run under the site's Content-Security-Policy, which forbids eval: give `page.wait_for_function` an
  arrow function ("() => ..."), since Playwright evaluates a bare expression with eval inside the page.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from suban.notify import sending
from suban.notify.gateways import Message
from suban.org.grid_index import invalidate_grid_index
from suban.workdays.calendar import forget_calendar

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
TIMEOUT_MS = 15_000  # any single wait; a healthy page answers in well under a second

PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="package")
def browser(django_db_setup: Any) -> Iterator[Any]:
    """One Chromium for all the browser tests (they run one after another: pytest-django orders the
    transactional tests together). Scoped to this package rather than the session, so that Playwright's
    event loop (below) is gone again before any other package's test runs."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop marked as running in this thread between its calls. Django
    # then (1) refuses ORM calls, unless DJANGO_ALLOW_ASYNC_UNSAFE is set: the tests are plain synchronous
    # code that reads the database between browser steps, so allow it while the browser runs; and (2) keeps
    # this thread's database connections apart from the ones opened before, and those new connections lack
    # the migrated rows' snapshot that serialized_rollback restores after each test's flush: hand it over.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                if snapshot is not None:
                    connections[alias]._test_serialized_contents = snapshot
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package", autouse=True)
def one_request_at_a_time() -> Iterator[None]:
    """pytest-django's live server shares one SQLite connection (an in-memory database) among the threads
    that serve the browser's requests. A page that asks something in the background while its form is sent
    (the H5's answers offered as one types, beside the submission) would run two transactions on that one
    connection at once ("no such savepoint"). A real deployment gives each thread its own connection; here
    the live server serves one request at a time. PostgreSQL needs no such thing."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    original = WSGIHandler.__call__
    lock = threading.Lock()

    def serially(self: Any, environ: Any, start_response: Any) -> Any:
        with lock:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = serially  # type: ignore[method-assign]
    try:
        yield
    finally:
        WSGIHandler.__call__ = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def e2e_environment(settings: Any, tmp_path: Path) -> None:
    """Uploaded files in a temporary folder; per-process caches of master data checked on every use (the
    cast's grids appear while the live server runs)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_grid_index()
    forget_calendar()
    cache.clear()


@pytest.fixture
def working_calendar(transactional_db: Any) -> None:
    """Deadlines run on the real clock: a year the chinesecalendar package does not know yet (this one or
    the next, which a deadline may reach) is entered as Monday to Friday, as an admin would."""
    import chinese_calendar

    from suban.workdays.models import CalendarYear

    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        try:
            chinese_calendar.is_workday(timezone.localdate().replace(year=year, month=6, day=1))
        except NotImplementedError:
            CalendarYear.objects.get_or_create(year=year, defaults={"published": True, "note": "e2e: Mon-Fri"})
    forget_calendar()


# --- The citizen's phone -------------------------------------------------------------------------------


class SmsInbox:
    """Every SMS Suban sends while the test runs, as the phones would receive them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()

    def receive(self, message: Message) -> None:
        with self._lock:
            self.messages.append(message)

    def texts_to(self, phone: str, template: str | None = None) -> list[str]:
        with self._lock:
            return [m.text for m in self.messages if m.to == phone and (template is None or m.template == template)]

    def wait_for(self, phone: str, template: str, *, timeout: float = 10.0) -> str:
        """The newest text of `template` sent to `phone`, once it has arrived."""
        deadline = time.monotonic() + timeout
        while True:
            texts = self.texts_to(phone, template)
            if texts:
                return texts[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no {template} SMS reached {phone}; got {self.messages!r}")
            time.sleep(0.05)

    def login_code(self, phone: str) -> str:
        text = self.wait_for(phone, "login_code")
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
        assert found, f"no 6-digit code in the SMS: {text!r}"
        return found.group(1)


@pytest.fixture
def sms(monkeypatch: pytest.MonkeyPatch) -> SmsInbox:
    """Messages still go through the configured gateway (the log in tests); the inbox keeps a copy."""
    inbox = SmsInbox()
    real_send = sending.send

    def send_and_keep(message: Message) -> None:
        real_send(message)
        inbox.receive(message)

    monkeypatch.setattr(sending, "send", send_and_keep)
    return inbox


# --- Browser contexts and the console-error watch --------------------------------------------------------


@dataclass
class Faces:
    """Opens browser contexts on the live server; remembers every console error of every page."""

    browser: Any
    base_url: str
    errors: list[str] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def _watch(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            if message.type == "error":
                location = message.location or {}
                self.errors.append(f"console error on {page.url}: {message.text} ({location.get('url', '')})")

        page.on("console", on_console)

        def on_page_error(error: Any) -> None:
            where = "\n    ".join((getattr(error, "stack", "") or "").splitlines()[:16])
            self.errors.append(f"page error on {page.url}: {error}\n    {where}")

        page.on("pageerror", on_page_error)

    def _open(self, options: dict[str, Any], **extra: Any) -> Any:
        settings = {"base_url": self.base_url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", **options, **extra}
        context = self.browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    def phone(self, **extra: Any) -> Any:
        """A new phone (375×812, mobile, touch) with one page open."""
        return self._open(PHONE, **extra).new_page()

    def desktop(self, **extra: Any) -> Any:
        """A new desktop browser (1920×1080) with one page open."""
        return self._open(DESKTOP, **extra).new_page()

    def same_session(self, page: Any, *, phone: bool) -> Any:
        """Another window size for the person logged in on `page` (their cookies, a fresh context)."""
        state = page.context.storage_state()
        return self._open(PHONE if phone else DESKTOP, storage_state=state).new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def faces(browser: Any, live_server: Any, working_calendar: None) -> Iterator[Faces]:
    opened = Faces(browser, live_server.url)
    yield opened
    opened.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test whose pages logged console errors fails, with the errors listed."""
    outcome = yield
    opened = getattr(item, "funcargs", {}).get("faces")
    if opened is None or outcome.excinfo is not None or not opened.errors:
        return
    outcome.force_exception(AssertionError("the browser logged errors:\n" + "\n".join(opened.errors)))


# --- Small helpers for the tests -------------------------------------------------------------------------


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot, test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def jpeg_file(folder: Path, name: str = "photo.jpg", size: tuple[int, int] = (640, 480)) -> Path:
    """A small real photo-like JPEG: a sky, a road and a lamp post."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (120, 170, 220))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([0, height * 2 // 3, width, height], fill=(90, 90, 95))
    draw.rectangle([width // 2 - 6, height // 5, width // 2 + 6, height * 2 // 3], fill=(40, 40, 40))
    draw.ellipse([width // 2 - 25, height // 5 - 20, width // 2 + 25, height // 5 + 20], fill=(250, 230, 120))
    path = folder / name
    image.save(path, "JPEG", quality=80)
    return path


def staff_login(page: Any, username: str, password: str, *, next_url: str = "/console/") -> None:
    """Log in on /login/ as a member of staff would, and land on `next_url`."""
    page.goto(f"/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def citizen_login(page: Any, sms: SmsInbox, phone: str, *, next_url: str = "/h5/") -> None:
    """Log in on the H5 by mobile number and the code the SMS brings."""
    page.goto(next_url)
    page.wait_for_selector("#login-form")
    page.fill("#id_phone", phone)
    page.click("#send-code")
    page.wait_for_selector("#code-status [data-sent]")
    page.fill("#id_code", sms.login_code(phone))
    with page.expect_navigation():
        page.click("#login-submit")
    page.wait_for_selector("[data-testid=tabbar]")


def layout_problems(page: Any) -> list[str]:
    """What is visibly broken in the page's layout: anything that makes it scroll sideways; on a phone, the
    console's navigation strip grown beyond a row of chips."""
    return list(
        page.evaluate(
            """() => {
              const problems = [];
              const root = document.documentElement;
              if (root.scrollWidth > window.innerWidth) {
                problems.push(`scrolls sideways (${root.scrollWidth} px in ${window.innerWidth} px)`);
              }
              const nav = document.querySelector("[data-testid=console-nav]");
              if (nav && window.innerWidth < 600 && nav.getBoundingClientRect().height > 100) {
                problems.push(`console navigation ${Math.round(nav.getBoundingClientRect().height)} px high`);
              }
              return problems;
            }"""
        )
    )
