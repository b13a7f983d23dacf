"""Pages are safe to open, in a real headless Chromium against a real uvicorn: a writer's
``javascript:`` IRI is text, not a link, on the pages and in the query editor's results; the
Content-Security-Policy stops inline script and breaks nothing the pages do."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from browser import chromium, serving
from hostile import DATA_IRI, SCRIPT_IRI, STRATEGY, TURTLE, WEB_IRI
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.web.app import create_app

DATA = Path(__file__).parent / "data"
ORGANISATION = "org/lao-pao-40"
PAGES = ["/", "/query", "/ontology", "/shapes", "/search?q=ขอนแก่น", f"/id/{STRATEGY}"]
# Before any of the page's own scripts: what the policy refused, for the tests to read.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
"""
SEE_ALSO_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?other WHERE { ?thing rdfs:seeAlso ?other } ORDER BY ?other"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    settings = Settings(memory=True, load_bundled_data=True, bundled_data_dir=DATA)
    app = create_app(settings)
    graph = graph_iri(settings.base_iri, "hostile")
    app.state.store.load(TURTLE.encode(), format=ox.RdfFormat.TURTLE, graph=graph)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with chromium() as chrome:
        chrome.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
        )
        yield chrome


def violations(driver: WebDriver) -> list[str]:
    return list(driver.execute_script("return window.violations"))


def link_schemes(driver: WebDriver) -> set[str]:
    return set(driver.execute_script("return [...document.links].map((a) => a.protocol)"))


@pytest.mark.parametrize("path", [f"/id/{STRATEGY}", f"/id/{ORGANISATION}"])
def test_a_script_iri_is_text_not_a_link(site: str, driver: WebDriver, path: str) -> None:
    driver.get(site + path)
    assert link_schemes(driver) <= {"http:", "https:", "mailto:"}
    body = driver.find_element(By.TAG_NAME, "body").text
    assert (SCRIPT_IRI if "strategy" in path else DATA_IRI) in body
    if "strategy" in path:
        assert driver.find_elements(By.CSS_SELECTOR, f'a[href="{WEB_IRI}"]')


def test_the_policy_stops_inline_script(site: str, driver: WebDriver) -> None:
    driver.get(site + f"/id/{STRATEGY}")
    ran = driver.execute_script(
        """const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
        return window.injected === true;"""
    )
    assert not ran
    assert any(v.startswith("script-src") for v in violations(driver))


@pytest.mark.parametrize("path", PAGES)
def test_pages_do_nothing_the_policy_refuses(site: str, driver: WebDriver, path: str) -> None:
    driver.get(site + path)
    assert driver.find_element(By.TAG_NAME, "h1").text
    assert violations(driver) == []


def test_the_query_editor_works_under_the_policy(site: str, driver: WebDriver) -> None:
    driver.get(site + "/query")
    editor = driver.find_element(By.ID, "sparql")
    editor.clear()
    editor.send_keys(SEE_ALSO_QUERY, Keys.CONTROL, Keys.ENTER)
    rows = WebDriverWait(driver, 20).until(
        ec.presence_of_all_elements_located((By.CSS_SELECTOR, "#results tbody tr"))
    )
    assert len(rows) == 5
    cells = driver.find_element(By.ID, "results").text
    assert SCRIPT_IRI in cells and DATA_IRI in cells
    assert link_schemes(driver) <= {"http:", "https:", "mailto:"}
    assert driver.find_elements(By.CSS_SELECTOR, f'#results a[href="/id/{STRATEGY}"]')
    assert driver.find_elements(By.CSS_SELECTOR, f'#results a[href="{WEB_IRI}"]')
    assert violations(driver) == []
