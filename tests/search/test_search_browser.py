"""The search box, its suggestions and the results page in a real headless Chromium, typed in
Thai, against a real uvicorn over the bundled data."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kgservice.settings import Settings
from kgservice.web.app import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "lod"))
from browser import chromium, screenshot, serving  # noqa: E402

DREDGING = {
    "ขุดลอกหนองน้ำสาธารณะ ตำบลแดงใหญ่",
    "โครงการขุดลอกหนองน้ำสาธารณะ ตำบลแดงใหญ่",
    "โครงการขุดลอกคลองระบายน้ำสาธารณะ",
}


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving(create_app(Settings(memory=True))) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with chromium() as chrome:
        yield chrome


def suggestions(driver: WebDriver, box: str) -> list[str]:
    listed = f"{box} + ul.suggestions li a"
    WebDriverWait(driver, 10).until(ec.visibility_of_element_located((By.CSS_SELECTOR, listed)))
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, listed)]


def test_the_landing_page_suggests_as_one_types_thai(site: str, driver: WebDriver) -> None:
    driver.get(site + "/")
    driver.find_element(By.ID, "landing-search").send_keys("ขุดล")
    assert set(suggestions(driver, "#landing-search")) == DREDGING
    screenshot(driver, "search-suggestions")
    driver.find_element(By.LINK_TEXT, "โครงการขุดลอกคลองระบายน้ำสาธารณะ").click()
    WebDriverWait(driver, 10).until(ec.url_contains("/id/plan/lao-mun-401001-2566-2570/project/9"))
    assert "โครงการขุดลอกคลองระบายน้ำสาธารณะ" in driver.find_element(By.TAG_NAME, "h1").text


def test_the_header_box_searches_and_marks_the_words(site: str, driver: WebDriver) -> None:
    driver.get(site + "/ontology")
    box = driver.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("ถนน คสล.", Keys.ENTER)
    WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.hits")))
    hits = driver.find_elements(By.CSS_SELECTOR, "ol.hits > li")
    assert len(hits) == 10
    marked = {m.text for m in driver.find_elements(By.CSS_SELECTOR, "ol.hits mark")}
    assert marked == {"ถนน", "คสล"}
    assert "ระดับท้องถิ่น" in hits[0].text and "ขอนแก่น" in hits[0].text
    screenshot(driver, "search-results")


def test_a_facet_narrows_the_results(site: str, driver: WebDriver) -> None:
    driver.get(site + "/search?q=" + "ถนน คสล.")
    facet = driver.find_element(By.PARTIAL_LINK_TEXT, "โครงการ (")
    assert facet.text == "โครงการ (6)"  # of the 10: 6 projects and 4 indicators
    facet.click()
    WebDriverWait(driver, 10).until(ec.url_contains("type="))
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li")) == 6


def test_no_script_is_refused_by_the_page_policy(site: str, driver: WebDriver) -> None:
    driver.get(site + "/search?q=ถนน")
    refused = [e for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert refused == []
