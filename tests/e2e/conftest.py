"""Browser journeys: a real portal server on a fresh database, driven by Debian's Chromium.

The server is gunicorn (the production settings in gunicorn.conf.py, two sync workers) on a
free port, over a temporary instance folder made for the run: ``flask db upgrade``, ``regions
load``, ``catalogues load`` and ``seed-demo --password``; its config.py sets
``HUEY_IMMEDIATE = True`` so background tasks run inline. The browser is ``/usr/bin/chromium``
(never a downloaded build) in headless mode, China's locale and time zone.

Each journey saves screenshots into ``build/e2e/<journey>/NN-name.png`` and runs axe-core
(``vendor/axe.min.js``) on its key pages: a violation of impact "serious" or "critical"
fails the test.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "e2e"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-gpu"]
PASSWORD = "E2e-journey-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}
# Settings from the environment that would point the server away from its own instance.
FOREIGN_SETTINGS = ("DATABASE_URL", "HUEY_URL", "MAIL_SERVER", "SECRET_KEY", "PORTAL_ENV",
                    "DEMO_PASSWORD", "PORTAL_BASE_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> None:
    """Run one ``flask --app portal`` command for the test instance; fail with its output."""
    done = subprocess.run(  # noqa: S603  (our own command)
        [str(Path(sys.executable).parent / "flask"), "--app", "portal", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        pytest.fail(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _wait_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the portal server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the portal server did not answer /healthz:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a portal server with its own fresh demo database."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (instance / "config.py").write_text(
        "HUEY_IMMEDIATE = True\n"
        f"SECRET_KEY = {os.urandom(16).hex()!r}\n"
        f"PORTAL_BASE_URL = {base + '/'!r}\n")
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1")
    _flask(env, "db", "upgrade")
    _flask(env, "regions", "load")
    _flask(env, "catalogues", "load")
    _flask(env, "seed-demo", "--password", PASSWORD)
    BUILD.mkdir(parents=True, exist_ok=True)
    log = BUILD / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603  (our own command)
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
             "portal:create_app()"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**env, "PORTAL_BIND": f"127.0.0.1:{port}", "PORTAL_WORKERS": "2"})
    try:
        _wait_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (Playwright drives it; it never downloads a browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make e2e does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, server, request):
    """``new_page(viewport=DESKTOP)``: a page in a fresh context (its own cookies).

    When the test fails, every page it opened is saved as build/e2e/<test>/failure-N.png.
    """
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=server, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
            accept_downloads=True, **options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = BUILD / re.sub(r"^test_", "", request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, 1):
            page.screenshot(path=str(folder / f"failure-{number}.png"), full_page=True)
    for context in contexts:
        context.close()


class Journey:
    """Screenshots and accessibility checks of one journey, numbered in order."""

    def __init__(self, name: str):
        self.folder = BUILD / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0
        self.axe_reports: list[dict] = []

    def shot(self, page, name: str) -> Path:
        """Save a full-page screenshot as NN-name.png."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self, page, name: str) -> None:
        """Run axe-core on *page*; fail on a serious or critical violation."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # evaluate() is not subject to the portal's CSP (no inline scripts), unlike
            # add_script_tag, which inserts an inline <script>.
            page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => ({target: n.target, html: n.html,"
            " summary: n.failureSummary}))})))")
        report = {"page": name, "url": page.url, "violations": result}
        self.axe_reports.append(report)
        (self.folder / "axe.json").write_text(
            json.dumps(self.axe_reports, ensure_ascii=False, indent=1), encoding="utf-8")
        blocking = [v for v in result if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe on {name} ({page.url}):\n" + json.dumps(
            blocking, ensure_ascii=False, indent=1)


@pytest.fixture
def journey(request):
    """A :class:`Journey` named after the test (test_ stripped)."""
    return Journey(re.sub(r"^test_", "", request.node.name))


def sign_in(page, username: str, lang: str | None = None) -> None:
    """Sign in through the login form (labels in the page's language)."""
    page.goto("/auth/login" + (f"?lang={lang}" if lang else ""))
    page.get_by_label("User name" if lang == "en" else "用户名").fill(username)
    page.get_by_label("Password" if lang == "en" else "密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in" if lang == "en" else "登录").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name=re.compile("^(退出|Sign out)")).click()
    page.wait_for_load_state()


def pdf_text(path) -> str:
    """The text of a downloaded PDF (all pages)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
