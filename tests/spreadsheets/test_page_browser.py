"""The page for planning offices in a real headless Chromium against a real uvicorn: a workbook
with a wrong amount shows the sheet with that cell highlighted and its message beside it; once
corrected it is imported with the token."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ORG, edited, graph_content
from fastapi.testclient import TestClient
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).parents[1] / "lod"))
from browser import chromium, screenshot, serving  # noqa: E402


@pytest.fixture
def driver() -> Iterator[WebDriver]:
    with chromium() as chrome:
        yield chrome


def choose(driver: WebDriver, url: str, path: Path, secret: str) -> None:
    driver.get(f"{url}/spreadsheets")
    driver.find_element(By.ID, "org").send_keys(ORG)
    driver.find_element(By.ID, "token").send_keys(secret)
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "check").click()


def test_an_office_sees_its_error_then_imports_the_corrected_sheet(
    client: TestClient, driver: WebDriver, token: object, exported: bytes, tmp_path: Path
) -> None:
    secret = token()  # type: ignore[operator]
    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(edited(exported, {("โครงการ", "K3"): "สี่แสนห้า"}))
    right = tmp_path / "right.xlsx"
    right.write_bytes(edited(exported, {("โครงการ", "K3"): "๔๕๐,๐๐๐"}))
    wait = WebDriverWait(driver, 20)
    before = graph_content(client)
    with serving(client.app) as url:  # type: ignore[arg-type]
        choose(driver, url, wrong, secret)
        cell = wait.until(ec.presence_of_element_located((By.ID, "cell-โครงการ-K3")))
        assert cell.text == "สี่แสนห้า"
        assert "cell-error" in cell.get_attribute("class")  # type: ignore[operator]
        assert cell.value_of_css_property("background-color") == "rgba(254, 226, 226, 1)"
        lists = driver.find_elements(By.CSS_SELECTOR, ".sheet-messages")
        messages = "\n".join(m.text for m in lists)
        assert "K3: [cell-number]" in messages and "สี่แสนห้า" in messages
        assert driver.find_element(By.ID, "commit").get_attribute("disabled") is not None
        screenshot(driver, "spreadsheet-error")
        assert graph_content(client) == before

        choose(driver, url, right, secret)
        wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "ถูกต้อง"))
        driver.find_element(By.ID, "commit").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "นำเข้าแล้ว"))
        assert "(195 ทริปเปิล)" in driver.find_element(By.ID, "status").text
    assert graph_content(client) == before  # 450,000 as it was: the import changed nothing
