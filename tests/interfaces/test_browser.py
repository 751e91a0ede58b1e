"""A person's walk through the web pages in a real browser: Debian's chromium, headless, driven
through its chromedriver against `storyline serve` on 127.0.0.1. Every page is opened on a
desktop and on a phone, checked for sideways overflow, console errors and requests that leave
the machine, and screenshotted whole into test-artifacts/ for a human to look at."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from bench.load import serving
from tests.conftest import REPO, demo_copy

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "browser-token"
VIEWPORTS = {"desktop": (1400, 900, False), "phone": (390, 844, True)}  # width, height, mobile
LONGEST_SCREENSHOT = 6000  # pixels: a page longer than that is cut there

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed "
                                                              "(make install does it as root)"),
]

# What is wider than the viewport, outside a box that scrolls on its own: [] when the page fits.
OVERFLOWING = """
const width = document.documentElement.clientWidth;
function scrollsItself(node) {
  for (let up = node.parentElement; up; up = up.parentElement) {
    const overflow = getComputedStyle(up).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && up.scrollWidth > up.clientWidth) return true;
  }
  return false;
}
return Array.from(document.body.querySelectorAll("*"))
  .filter(node => node.getBoundingClientRect().right > width + 1 && !scrollsItself(node))
  .slice(0, 5).map(node => node.tagName.toLowerCase() + (node.className && typeof node.className === "string" ? "." + node.className : ""))
  .concat(document.documentElement.scrollWidth > width + 1 ? ["document " + document.documentElement.scrollWidth + "px"] : []);
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_db):
    """The demo's store (the seeds, both propositions) served by `storyline serve` in its own
    process, writable with TOKEN."""
    db = demo_copy(demo_db, tmp_path_factory.mktemp("browser"))
    with serving(db, "--write-token", TOKEN) as base:
        yield base


@pytest.fixture(scope="module")
def pages(server) -> dict[str, str]:
    """Every kind of page, by name, found through the API as a client would."""
    api = httpx.Client(base_url=server)
    story = api.get("/api/stories").json()["items"][0]["id"]
    actor = next(a["id"] for a in api.get("/api/actors", params={"name": "Zelenskyy"}).json()["items"])
    proposition = api.get("/api/propositions").json()["items"][0]["id"]
    article = api.get("/api/articles").json()["items"][0]["id"]
    return {"front": "/", "front-filtered": "/?country=QA", "story": f"/stories/{story}", "actor": f"/actors/{actor}",
            "propositions": "/propositions", "proposition": f"/propositions/{proposition}", "article": f"/articles/{article}",
            "search": "/search?q=NATO", "search-by-meaning": "/search?q=land+for+membership&semantic=true", "api-docs": "/docs",
            "missing": "/stories/999999"}


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # No background traffic of the browser's own (updates, sync, safe browsing): the machine's network is closed.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,900",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--disable-quic"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def viewport(driver, name: str) -> None:
    width, height, mobile = VIEWPORTS[name]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                                  "mobile": mobile})


def screenshot(driver, name: str) -> Path:
    """The whole page, down to LONGEST_SCREENSHOT pixels."""
    width = driver.execute_script("return document.documentElement.clientWidth")
    height = min(LONGEST_SCREENSHOT, driver.execute_script("return document.documentElement.scrollHeight"))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                             "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 10_000, f"{path} looks blank"
    return path


def requested(driver) -> list[str]:
    """Every URL the browser asked for since the last call."""
    events = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_every_page_fits_the_screen_and_needs_nothing_from_outside_the_machine(server, pages, browser, screen):
    viewport(browser, screen)
    requested(browser)
    here = urlsplit(server).netloc
    for name, path in pages.items():
        browser.get(server + path)
        browser.find_element("css selector", "body")
        if name == "api-docs":
            browser.find_element("css selector", ".opblock")  # Swagger UI read the spec and drew its operations
        assert not browser.execute_script(OVERFLOWING), (screen, name, browser.execute_script(OVERFLOWING))
        elsewhere = [url for url in requested(browser) if urlsplit(url).scheme not in ("data", "blob", "about")
                     and urlsplit(url).netloc != here]
        assert not elsewhere, (name, elsewhere)
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and not (name == "missing" and "404" in e["message"])]
        assert not errors, (name, errors)
        screenshot(browser, f"{screen}-{name}")


def test_front_page_to_the_seeds_story_to_zelenskyys_shift(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    viewport(browser, "desktop")
    browser.get(server + "/")
    assert browser.title.startswith("Stories")
    strip = [a.text.rsplit(" ", 1)[0] for a in browser.find_elements(By.CSS_SELECTOR, ".country-strip a")]
    assert {"Qatar", "Iran"} <= set(strip)  # Al Jazeera, Fars

    cards = browser.find_elements(By.CSS_SELECTOR, "a.story-link")
    assert len(cards) == 1, "the five seeds are one story line"
    cards[0].click()
    assert re.search(r"/stories/\d+$", browser.current_url)
    band = browser.find_element(By.CSS_SELECTOR, "svg.coverage-chart g.event-band")
    assert band.is_displayed()
    citations = browser.find_elements(By.CSS_SELECTOR, "ol.summary a.cite")
    assert len(citations) >= 3 and all(re.search(r"/articles/\d+#s\d+$", c.get_attribute("href")) for c in citations)
    ActionChains(browser).move_to_element(citations[0]).perform()
    popover = browser.find_element(By.CSS_SELECTOR, ".source-popover")
    assert popover.text and popover.text == citations[0].get_attribute("data-source"), "hover shows the cited sentence"

    browser.find_element(By.LINK_TEXT, "Volodymyr Zelenskyy").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Volodymyr Zelenskyy"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.position-chart g.shift-shift")
    assert chart.is_displayed()
    moves = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.shifts li.shift-shift")]
    assert any("support (2024-10-22) → oppose (2025-12-14)" in text for text in moves), moves
    png = browser.find_elements(By.LINK_TEXT, "PNG")[-1].get_attribute("href")
    (ARTIFACTS / "position-chart-download.png").write_bytes(httpx.get(png).raise_for_status().content)

    point = browser.find_elements(By.CSS_SELECTOR, "svg.position-chart a")[-1]
    target = urljoin(server, point.get_dom_attribute("href"))
    browser.get(target)  # an SVG <a> is followed by its href, as a click would
    anchor = target.rsplit("#", 1)[1]
    mark = browser.find_element(By.ID, anchor)
    assert mark.tag_name == "mark" and mark.text
    screenshot(browser, "desktop-article-at-a-statement")


def test_a_token_holder_follows_a_story_from_its_page(server, pages, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    viewport(browser, "phone")
    browser.get(server + pages["story"])
    browser.find_element(By.CSS_SELECTOR, ".follow summary").click()
    form = browser.find_element(By.CSS_SELECTOR, "form.webhook")
    form.find_element(By.NAME, "url").send_keys("http://127.0.0.1:9/storyline")
    form.find_element(By.NAME, "allow_private").click()
    form.find_element(By.NAME, "token").send_keys("not the token")
    form.find_element(By.TAG_NAME, "button").click()
    status = form.find_element(By.TAG_NAME, "output")
    WebDriverWait(browser, 10).until(lambda _: status.text.startswith("Not added"))
    assert "write token" in status.text
    token = form.find_element(By.NAME, "token")
    token.clear()
    token.send_keys(TOKEN)
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 10).until(lambda _: status.text.startswith("Webhook"))
    screenshot(browser, "phone-story-webhook-added")
    story = pages["story"].rsplit("/", 1)[1]
    hooks = httpx.get(server + "/api/webhooks", headers={"Authorization": f"Bearer {TOKEN}"}).json()["items"]
    assert [(h["url"], h["about"], h["kinds"]) for h in hooks] == [("http://127.0.0.1:9/storyline", f"story:{story}", ["statement", "shift"])]
