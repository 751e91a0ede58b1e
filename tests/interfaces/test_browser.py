"""A person's walk through the web pages in a real browser: Debian's chromium, headless, driven
through its chromedriver against `storyline serve` on 127.0.0.1. Screenshots of each page
land in test-artifacts/ for a human to look at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from bench.load import serving
from tests.conftest import REPO, demo_copy

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = REPO / "test-artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed "
                                                              "(make install does it as root)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_db):
    """The demo's store (the seeds, both propositions) served by `storyline serve` in its own process."""
    db = demo_copy(demo_db, tmp_path_factory.mktemp("browser"))
    with serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, f"{path} looks blank"
    return path


def test_front_page_to_the_seeds_story_to_zelenskyys_shift(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.title.startswith("Stories")
    strip = [a.text.split()[0] for a in browser.find_elements(By.CSS_SELECTOR, ".country-strip a")]
    assert {"All", "QA", "IR"} <= set(strip)  # Al Jazeera, Fars
    screenshot(browser, "01-front-page")

    cards = browser.find_elements(By.CSS_SELECTOR, "a.story-link")
    assert len(cards) == 1, "the five seeds are one story line"
    cards[0].click()
    assert re.search(r"/stories/\d+$", browser.current_url)
    citations = browser.find_elements(By.CSS_SELECTOR, "ol.summary a.cite")
    assert len(citations) >= 3 and all(re.search(r"/articles/\d+#s\d+$", c.get_attribute("href")) for c in citations)
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_to_element(citations[0]).perform()
    popover = browser.find_element(By.CSS_SELECTOR, ".source-popover")
    assert popover.text and popover.text == citations[0].get_attribute("data-source"), "hover shows the cited sentence"
    screenshot(browser, "02-story-page")

    browser.find_element(By.LINK_TEXT, "Volodymyr Zelenskyy").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Volodymyr Zelenskyy"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.position-chart g.shift-shift")
    assert chart.is_displayed()
    moves = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.shifts li.shift-shift")]
    assert any("support (2024-10-22) → oppose (2025-12-14)" in text for text in moves), moves
    screenshot(browser, "03-actor-zelenskyy")
    png = browser.find_elements(By.LINK_TEXT, "PNG")[-1].get_attribute("href")
    (ARTIFACTS / "05-position-chart-download.png").write_bytes(httpx.get(png).raise_for_status().content)

    point = browser.find_elements(By.CSS_SELECTOR, "svg.position-chart a")[-1]
    target = urljoin(server, point.get_dom_attribute("href"))
    browser.get(target)  # an SVG <a> is followed by its href, as a click would
    anchor = target.rsplit("#", 1)[1]
    mark = browser.find_element(By.ID, anchor)
    assert mark.tag_name == "mark" and mark.text
    screenshot(browser, "04-article-statement")


def test_no_console_errors_on_the_pages(server, browser):
    for path in ("/", "/propositions", "/search?q=NATO"):
        browser.get(server + path)
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, (path, errors)

