"""What the HTML pages show, worked out by hand from the Khon Kaen fixture."""

import re

from fastapi.testclient import TestClient

KK1 = "/id/plan/provincial-40-2566-2570/strategy/1"


def test_project_breadcrumb_goes_up_to_the_national_strategy(client: TestClient) -> None:
    html = client.get("/id/plan/lao-pao-40-2566-2570/project/1").text
    crumbs = re.findall(
        r"<li>(?:<a href=\"([^\"]+)\">|<span aria-current=\"page\">)",
        html.split('class="breadcrumb"')[1].split("</nav>")[0],
    )
    assert crumbs == [
        "/id/plan/national-strategy",
        "/id/plan/national-strategy/strategy/3",
        "/id/plan/provincial-40-2566-2570/strategy/1",
        "/id/plan/lao-pao-40-2566-2570/strategy/2",
        "/id/plan/lao-pao-40-2566-2570/programme/2.1",
        "",
    ]


def test_project_page_shows_budgets_and_indicators(client: TestClient) -> None:
    html = client.get("/id/plan/lao-pao-40-2566-2570/project/1").text
    assert "1,500,000" in html and "2,000,000" in html
    assert "จำนวนห้องเรียนดิจิทัล" in html and "40 ห้อง" in html


def test_strategy_page_sums_what_supports_it_per_year(client: TestClient) -> None:
    html = client.get(KK1).text
    # 2567: 1,500,000 (PAO project) + 500,000 (municipality project); 2568: 2,000,000
    table = html.split("งบประมาณรวมของสิ่งที่สนับสนุน")[1].split("</table>")[0]
    assert re.findall(r"<td>(\d{4})</td><td class=\"num\">([\d,]+)</td>", table) == [
        ("2567", "2,000,000"),
        ("2568", "2,000,000"),
    ]


def test_strategy_diagram_names_the_supporting_owners(client: TestClient) -> None:
    svg = client.get(KK1).text.split("<svg")[1].split("</svg>")[0]
    assert "องค์การบริหารส่วนจังหวัดขอนแก่น" in svg
    assert "เทศบาลนครขอนแก่น" in svg
    assert (
        svg.count("<rect") == 6
    )  # the strategy, 2 local strategies, 1 programme, 2 owners' projects


def test_area_page_lists_the_plans_covering_it(client: TestClient) -> None:
    html = client.get("/id/area/400101").text
    section = html.split("แผนที่ครอบคลุมพื้นที่นี้")[1].split("</table>")[0]
    assert set(re.findall(r'href="(/id/plan/[^"]+)"', section)) == {
        "/id/plan/lao-mun-400101-2566-2570",
        "/id/plan/lao-pao-40-2566-2570",
        "/id/plan/provincial-40-2566-2570",
    }
    assert 'href="/id/area/4001"' in html


def test_landing_page_counts(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r'id="count-projects">2<', html)
    assert re.search(r'id="count-local-governments">2<', html)
    levels = html.split('class="levels"')[1].split("</table>")[0]
    assert re.findall(r"<td class=\"num\">(\d+)</td>", levels) == [
        "1",
        "1",
        "2",
    ]  # national, provincial, local
    budget = html.split("งบประมาณแยกตามปีงบประมาณ")[1].split("</table>")[0]
    assert "2,000,000" in budget


def test_search_finds_thai_and_english_substrings(client: TestClient) -> None:
    thai = client.get("/search", params={"q": "ห้องสมุด"}).text
    assert 'href="/id/plan/lao-mun-400101-2566-2570/project/1"' in thai
    english = client.get("/search", params={"q": "LIBRARIES"}).text
    assert 'href="/id/plan/lao-mun-400101-2566-2570/project/1"' in english
    nothing = client.get("/search", params={"q": "ไม่มีคำนี้แน่นอน"}).text
    assert "ไม่พบรายการที่ตรงกัน" in nothing


def test_search_keeps_the_chosen_language_in_links(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Khon Kaen", "lang": "en"}).text
    assert 'href="/id/area/40?lang=en"' in html


def test_static_files_are_served_and_nothing_else(client: TestClient) -> None:
    assert client.get("/static/query.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fsettings.py").status_code == 404
    assert client.get("/static/missing.css").status_code == 404
