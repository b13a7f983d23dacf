"""The pages in a real headless Chromium against a real uvicorn holding the bundled data and a
generated strategy with 132 supporting projects. Screenshots go to test-output/screenshots."""

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from browser import chromium, figure_screenshot, screenshot, serving
from generated import OWNERS, PROJECTS_PER_OWNER, STRATEGY, generated_turtle, owner_name
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kgservice.derived import upkeep
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.web.app import create_app

KK_STRATEGY_1 = "/id/plan/provincial-40-2566-2570/strategy/1"
KK_STRATEGY_1_SUPPORTERS = (
    "องค์การบริหารส่วนจังหวัดขอนแก่น",
    "องค์การบริหารส่วนตำบลแดงใหญ่",
    "องค์การบริหารส่วนตำบลสำราญ",
    "องค์การบริหารส่วนตำบลหินตั้ง",
)
NATIONAL_STRATEGY_TH = "ยุทธศาสตร์ชาติ พ.ศ. ๒๕๖๑ - ๒๕๘๐"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    settings = Settings(memory=True, load_bundled_data=True)
    app = create_app(settings)
    store = app.state.store
    store.load(
        generated_turtle().encode(),
        format=ox.RdfFormat.TURTLE,
        graph=graph_iri(settings.base_iri, "generated"),
    )
    upkeep.refresh(store, settings, [graph_iri(settings.base_iri, "generated")])
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with chromium() as chrome:
        yield chrome


def wait(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, 20)


def assert_thai_renders(driver: WebDriver, css: str, text: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, css)
    assert text in element.text
    assert element.size["width"] > 0 and element.size["height"] > 0


def test_landing_page_shows_counts_and_links(site: str, driver: WebDriver) -> None:
    driver.get(site + "/")
    assert_thai_renders(driver, "h1", "ฐานความรู้แผนพัฒนาประเทศไทย")
    assert int(driver.find_element(By.ID, "count-projects").text.replace(",", "")) >= 62
    for path in ("/query", "/ontology", "/shapes", "/void", "/dumps/all.nq.gz"):
        assert driver.find_elements(By.CSS_SELECTOR, f'a[href="{path}"]'), path
    screenshot(driver, "landing")


def test_search_in_thai_leads_to_the_page(site: str, driver: WebDriver) -> None:
    driver.get(site + "/")
    box = driver.find_element(By.ID, "landing-search")
    box.send_keys("ตำบลหินตั้ง", Keys.ENTER)
    wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "a.hit")))
    screenshot(driver, "search")
    driver.find_element(By.PARTIAL_LINK_TEXT, "องค์การบริหารส่วนตำบลหินตั้ง").click()
    wait(driver).until(ec.url_contains("/id/org/"))
    assert_thai_renders(driver, "h1", "องค์การบริหารส่วนตำบลหินตั้ง")


def test_provincial_strategy_page_draws_its_supporters(site: str, driver: WebDriver) -> None:
    driver.get(site + KK_STRATEGY_1)
    svg = driver.find_element(By.CSS_SELECTOR, "figure.diagram svg")
    drawn = svg.get_attribute("textContent") or ""
    for name in KK_STRATEGY_1_SUPPORTERS:
        assert name in drawn
    assert svg.size["width"] > 300
    screenshot(driver, "provincial-strategy")


def test_diagram_groups_many_projects_by_owner(site: str, driver: WebDriver) -> None:
    driver.get(site + "/id/" + STRATEGY.split("/id/", 1)[1])
    svg = driver.find_element(By.CSS_SELECTOR, "figure.diagram svg")
    drawn = svg.get_attribute("textContent") or ""
    for n in range(1, OWNERS + 1):
        assert owner_name(n) in drawn
    lines = [t.get_attribute("textContent") for t in svg.find_elements(By.TAG_NAME, "text")]
    assert lines.count(f"{PROJECTS_PER_OWNER} โครงการ") == OWNERS
    assert svg.size["height"] < 1400  # grouped, not one box per project
    screenshot(driver, "diagram-132-projects")
    figure_screenshot(driver, "diagram-132-projects-figure")


def test_project_page_shows_the_chain_up_to_the_national_strategy(
    site: str, driver: WebDriver
) -> None:
    driver.get(site + "/id/plan/lao-sao-401014-2566-2570/project/2")
    crumbs = driver.find_elements(By.CSS_SELECTOR, "nav.breadcrumb li")
    assert crumbs[0].text == NATIONAL_STRATEGY_TH
    assert "ประเด็นยุทธศาสตร์ที่ ๑" in " ".join(c.text for c in crumbs)
    assert_thai_renders(driver, "h1", "โครงการเจาะบ่อบาดาลเพื่อการเกษตร")
    screenshot(driver, "project")


def test_english_switch(site: str, driver: WebDriver) -> None:
    driver.get(site + KK_STRATEGY_1)
    driver.find_element(By.CSS_SELECTOR, "a.lang-switch").click()
    wait(driver).until(ec.url_contains("lang=en"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Supporting plans and projects by level" in driver.page_source


def test_query_page_runs_a_named_query(site: str, driver: WebDriver) -> None:
    driver.get(site + "/query")
    driver.find_element(
        By.CSS_SELECTOR, "#examples option[value='agreements-between-levels']"
    ).click()
    editor = driver.find_element(By.ID, "sparql")
    assert "tp:Agreement" in (editor.get_attribute("value") or "")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#results tbody tr")))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) > 0
    screenshot(driver, "query")
