"""End to end: the page in a real headless Chromium (Debian's), driven by Playwright.

The app runs under uvicorn on a free loopback port with a temporary store. The test
loads the page, checks the map is drawn, changes the trials, runs the scenario, waits
for the progress to finish, reads the headline numbers and charts, runs a second seed
and compares the two runs, and opens the law table and timeline for a date.
Screenshots go to the test's tmp folder and to ``tests/web/artifacts/``. Every request
the page makes is recorded; any to a host other than the app's fails the test.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from anpo.web import create_app

pytestmark = pytest.mark.slow  # drives a browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    app = create_app(tmp_path / "e2e.duckdb", max_trials=5000)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def _shot(page: Page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / path.name)


def _run(page: Page, trials: int, seed: int) -> str:
    page.fill("#trials", str(trials))
    page.fill("#seed", str(seed))
    page.click("#run-btn")
    page.wait_for_selector("#job-status[data-state=done]", timeout=TIMEOUT_MS)
    text = page.text_content("#job-status") or ""
    assert f"{trials:,} trials" in text
    assert page.eval_on_selector("#progress", "p => p.value") == 1
    return text.split("run ")[1].split(" ")[0]


def test_page_in_chromium(server: str, tmp_path: Path) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make browser)"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    requests: list[str] = []
    console_errors: list[str] = []
    own = urlsplit(server).netloc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on(
                "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.goto(server + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
            assert page.locator("#map-svg path.land").count() >= 5
            page.select_option("#scenario-pick", "nk-raid-2010")
            page.wait_for_selector("#map-svg g[data-layer=assets] circle.asset", timeout=TIMEOUT_MS)

            # the map: outlines, range rings, bases, and the scenario's geometry
            assert page.locator("#map-svg path.land").count() >= 5
            assert page.locator("#map-svg g[data-layer=rings] path.ring").count() >= 1
            assert page.locator("#map-svg g[data-layer=bases] rect.base").count() >= 5
            assert page.locator("#map-svg g[data-layer=assets] circle.asset").count() == 2
            assert page.locator("#map-svg g[data-layer=cities] circle.city").count() > 10
            assert page.input_value("#scenario-pick") == "nk-raid-2010"
            assert page.input_value("#date") == "2010-01-01"
            assert "valid" in (page.text_content("#validation") or "")
            # the ledger links each source that has an address; links open a new tab
            page.wait_for_selector("#ledger a[href^=http]", state="attached", timeout=TIMEOUT_MS)
            assert page.locator("#ledger a[target=_blank][href^=http]").count() >= 20
            _shot(page, shots, "01-map-and-editor")

            # a layer toggles off and on
            page.uncheck("#layer-toggles input[data-layer=cities]")
            assert page.get_attribute("#map-svg g[data-layer=cities]", "display") == "none"
            page.check("#layer-toggles input[data-layer=cities]")
            assert page.get_attribute("#map-svg g[data-layer=cities]", "display") is None

            # live validation names the field path of a mistake
            good = page.input_value("#yaml")
            page.fill("#yaml", good.replace("count: 18", "count: -3", 1))
            page.wait_for_selector("#validation code.path", timeout=TIMEOUT_MS)
            assert page.text_content("#validation code.path") == "threat.missiles[0].count"
            _shot(page, shots, "02-validation-error")
            page.fill("#yaml", good)
            page.wait_for_selector("#validation.ok", timeout=TIMEOUT_MS)

            # run with a changed trial count; results, charts and the map follow
            first = _run(page, 400, 11)
            page.wait_for_selector(f"#results[data-run='{first}']", timeout=TIMEOUT_MS)
            expect(page.locator("#run-caption")).to_contain_text(first)
            cards = page.locator("#headline .card")
            assert cards.count() >= 2
            assert "Mean leakers" in (cards.nth(0).text_content() or "")
            assert "±" in (cards.nth(0).locator(".v").text_content() or "")
            assert "P(no leaker)" in (cards.nth(1).text_content() or "")
            assert page.locator("#chart-dist svg rect.bar").count() >= 1
            assert page.locator("#chart-spread svg rect.spread").count() >= 1
            assert page.input_value("#outcome-pick") == "leakers"
            assert page.locator("#summary tbody tr").count() > 5
            assert page.locator("#map-svg g[data-layer=tracks] path.track").count() >= 1
            page.locator("#results").scroll_into_view_if_needed()
            _shot(page, shots, "03-results")

            # a second run with another seed, then the two side by side
            second = _run(page, 400, 12)
            assert second != first
            page.select_option("#cmp-a", first)
            page.select_option("#cmp-b", second)
            page.click("#cmp-btn")
            page.wait_for_selector("#compare-table tbody tr", timeout=TIMEOUT_MS)
            header = page.locator("#compare-table thead th").all_text_contents()
            assert "B − A" in header and "mean A" in header
            rows = page.locator("#compare-table tbody tr").all_text_contents()
            assert any(r.startswith("leakers") for r in rows)
            page.locator("#compare").scroll_into_view_if_needed()
            _shot(page, shots, "04-compare")

            # the law table and the timeline for a date
            page.fill("#law-date", "2016-04-01")
            page.click("#law-btn")
            page.wait_for_selector("#law-table tbody tr", timeout=TIMEOUT_MS)
            assert page.locator("#law-table tbody tr").count() >= 5
            statuses = set(page.locator("#law-table td[class^=st-]").all_text_contents())
            assert statuses <= {"permitted", "conditional", "prohibited"}
            # the timeline is drawn after the law table: wait for it, then count its dots
            page.wait_for_selector("#timeline svg line.today", state="attached", timeout=TIMEOUT_MS)
            assert page.locator("#timeline svg circle.ev").count() >= 10
            assert page.locator("#timeline svg line.today").count() == 1
            page.locator("#timeline svg circle.ev").first.click()
            assert "—" in (page.text_content("#event-detail") or "")
            page.locator("#law").scroll_into_view_if_needed()
            _shot(page, shots, "05-law-and-timeline")

            # a quick switch: the ledger and the map follow the last scenario chosen, even
            # when the first one's answers come back later
            page.select_option("#scenario-pick", "kadena-today")
            page.select_option("#scenario-pick", "nk-raid-2010")
            page.wait_for_function(
                "() => [...document.querySelectorAll('#ledger tbody tr')]"
                ".some((tr) => tr.textContent.includes('asset.Tokyo'))",
                timeout=TIMEOUT_MS,
            )
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            ledger = " ".join(page.locator("#ledger tbody tr").all_text_contents())
            assert "asset.Tokyo" in ledger and "mos_length_m" not in ledger
            assert page.input_value("#date") == "2010-01-01"
            assert page.locator("#map-svg g[data-layer=assets] circle.asset").count() == 2
        finally:
            browser.close()

    foreign = [
        u
        for u in requests
        if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
    ]
    assert not foreign, f"the page asked hosts other than the app: {foreign}"
    assert any("/api/map/outlines" in u for u in requests)
    assert not console_errors, console_errors
    assert sorted(p.name for p in shots.iterdir()) == [
        "01-map-and-editor.png",
        "02-validation-error.png",
        "03-results.png",
        "04-compare.png",
        "05-law-and-timeline.png",
    ]
