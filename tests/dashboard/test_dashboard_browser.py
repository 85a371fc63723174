"""The dashboard in a real browser (Debian's Chromium through Playwright), on both engines' data:
every section renders with no console error and no network request, a segment lists its
enterprises, filters narrow the project list, dependencies show inherited warnings, hostile names
show as text and run nothing, and printing lays out every section. A screenshot of each section
goes to a temporary folder (printed at the start) for a person to look at."""

from __future__ import annotations

import re

import pytest

from conftest import BACKEND_PARAMS
from dashboard_browser_support import Watched  # the browser_context and screenshot_dir fixtures: tests/conftest.py
from dashboard_fixtures import HOSTILE_CHAIN, RAW_NAMES, load_dongcheng, load_hostile
from portfolio_graph import Portfolio
from test_hostile_support import HOSTILE

SECTIONS = {
    "overview": "补链", "chains": "芯片封装检测", "goals": "目标值",
    "projects": "本月灯号", "deps": "依赖网络", "sources": "来源文件",
}


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def pages(request, tmp_path_factory):
    """(engine, sample page, hostile page): both files written from the same engine."""
    backend = request.getfixturevalue(f"_{request.param}_backend")
    folder = tmp_path_factory.mktemp(f"dashboard-{request.param}")
    # As the demo: chains drawn against their templates, and the synthetic schedule's lights for May.
    load_dongcheng(backend, templates=True, schedule=True)
    sample = Portfolio(backend).dashboard(folder / "sample.html", lenient=True, as_of="2023-05")
    load_hostile(backend, folder / "hostile-data")
    hostile = Portfolio(backend).dashboard(folder / "hostile.html")
    return request.param, sample, hostile


@pytest.fixture
def watched(browser_context, pages):  # noqa: F811
    opened = []

    def open_page(which: str, section: str = "overview"):
        watch = Watched(browser_context, pages[1] if which == "sample" else pages[2])
        opened.append(watch)
        watch.open(section)
        return watch

    yield open_page
    for watch in opened:
        assert not watch.console, watch.console
        assert not watch.foreign_requests(), watch.foreign_requests()
        assert not watch.dialogs, watch.dialogs
        watch.close()


def rows_text(page) -> str:
    return page.locator("#projects .page-info").inner_text()


def row_count(page) -> int:
    return int(re.search(r"共 (\d+) 行", rows_text(page)).group(1))


def test_every_section_renders(watched, pages, screenshot_dir):  # noqa: F811
    engine = pages[0]
    watch = watched("sample")
    page = watch.page
    for section, text in SECTIONS.items():
        page.click(f"nav button[data-section={section}]")
        body = page.locator(f"#{section}")
        assert body.is_visible()
        assert text in body.inner_text()
        if section in ("overview", "chains", "goals", "deps"):
            assert page.locator(f"#{section} svg").count() > 0
            assert page.locator(f"#{section} svg rect").count() > 0, f"{section} draws nothing"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot_dir / f"{engine}-{section}.png"))


def test_clicking_a_segment_lists_its_enterprises_and_how_each_is_known(watched):
    page = watched("sample", "chains").page
    card = page.locator('.chain[data-chain="芯片封装检测"]')
    card.locator('.seg[data-segment="芯片检测"]').click()
    enterprises = card.locator(".seg-enterprises")
    assert "利扬芯片" in enterprises.inner_text() and "推断 inferred" in enterprises.inner_text()
    assert "利扬芯片监测项目" in card.locator(".seg-projects").inner_text()
    assert card.locator(".anchor-star").count() == 1  # the 链主's segment is marked
    enterprises.locator(".src").first.click()
    panel = page.locator("#panel")
    assert panel.is_visible() and "利扬芯片监测项目" in panel.locator("blockquote").first.inner_text()
    card.locator('.seg[data-segment="芯片设计"]').click()
    assert "无企业" in card.locator(".seg-enterprises").inner_text()
    extension = card.locator('.seg.template[data-status="延链"]')
    assert extension.count() >= 1 and "对照模板 集成电路" in card.locator("h3").first.inner_text()
    extension.first.click()
    assert "延链" in card.locator(".members").inner_text()


def test_filters_sorting_and_search_narrow_the_project_list(watched):
    page = watched("sample", "projects").page
    total = row_count(page)
    assert total == 101
    page.select_option("#f-level", "市重大")
    narrowed = row_count(page)
    assert 0 < narrowed < total
    assert all(cell == "市重大" for cell in page.locator("#projects tbody td:nth-child(3)").all_inner_texts())
    page.select_option("#f-level", "")
    page.fill("#f-search", "香遇走廊二期")  # an alias
    assert row_count(page) == 1 and "黄旗山南麓香遇走廊二期工程" in page.locator("#projects tbody").inner_text()
    page.fill("#f-search", "")
    page.click('#projects th[data-key="inv"]')
    page.click('#projects th[data-key="inv"]')  # descending
    first = page.locator("#projects tbody tr").first.locator("td").nth(3).inner_text()
    values = [float(v.replace(",", "")) for v in page.locator("#projects tbody td:nth-child(4)").all_inner_texts() if v]
    assert float(first.replace(",", "")) == max(values)
    area = page.locator("#f-area option").nth(1).get_attribute("value")
    page.select_option("#f-area", area)
    assert 0 < row_count(page) < total


def test_lights_for_the_month_and_their_filter(watched):
    page = watched("sample", "projects").page
    assert "2023-05" in page.locator("#projects .lights-note").inner_text()
    total = row_count(page)
    page.select_option("#f-state", "红灯")
    red = row_count(page)
    assert 0 < red < total
    badges = page.locator("#projects tbody td:nth-child(2) .badge").all_inner_texts()
    assert badges and set(badges) == {"红灯"}


def test_without_a_schedule_status_words_are_labelled_as_such(watched):
    page = watched("hostile", "projects").page
    assert "建设状态（无调度数据）" in page.locator("#projects thead").inner_text()
    assert "未加载调度数据" in page.locator("#projects .lights-note").inner_text()


def test_goals_filter_by_year(watched):
    page = watched("sample", "goals").page
    all_rows = page.locator("#goals .page-info").inner_text()
    page.select_option("#goal-year", "2023")
    years = set(page.locator("#goals tbody td:nth-child(2)").all_inner_texts())
    assert years == {"2023"} and page.locator("#goals .page-info").inner_text() != all_rows


def test_dependencies_draw_a_network_with_inherited_warnings(watched):
    page = watched("sample", "projects").page
    page.fill("#f-search", "八一路")
    page.locator("#projects tbody tr").first.locator("button").click()
    deps = page.locator("#deps")
    assert deps.is_visible() and "八一路" in deps.locator("h3").first.inner_text()
    assert page.locator("#deps .node-box").count() >= 2 and page.locator("#deps .dep-edge").count() >= 1
    warnings = page.locator("#deps .warnings").inner_text()
    assert "黄旗南片区存量产业空间" in warnings  # a parcel whose land is not ready yet
    assert page.locator("#deps .inherited").count() >= 1
    page.select_option("#dep-kind", "Area")
    page.fill("#dep-search", "黄旗南核心区")
    page.locator("#deps .dep-hits button").first.click()
    assert "黄旗南核心区" in page.locator("#deps h3").first.inner_text()
    assert "八一路" in page.locator("#deps .dep-network").text_content()  # the area waits on what its project waits on
    assert "黄旗南片区存量产业空间" in page.locator("#deps .warnings").inner_text()
    page.select_option("#dep-kind", "Parcel")
    page.fill("#dep-search", "")
    page.locator("#deps .dep-hits button").first.click()
    assert "地块" in page.locator("#deps h3").first.inner_text()


def test_hostile_names_show_as_text_and_run_nothing(watched, pages, screenshot_dir):  # noqa: F811
    watch = watched("hostile", "projects")
    page = watch.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    table = page.locator("#projects tbody")
    for text in list(HOSTILE.values()) + list(RAW_NAMES.values()):
        page.fill("#f-search", text[:12])
        shown = table.inner_text()
        expected = " ".join(text.split()) if text not in RAW_NAMES.values() else text
        assert expected.replace("\u2028", "\n").replace("\u2029", "\n").split("\n")[0].strip() in shown, text
    page.click("nav button[data-section=chains]")
    assert HOSTILE_CHAIN in page.locator("#chains .chain h3").first.inner_text()
    page.locator("#chains .seg").first.click()
    page.screenshot(path=str(screenshot_dir / f"{pages[0]}-hostile-chains.png"))
    for section in ("goals", "deps", "sources", "overview"):
        page.click(f"nav button[data-section={section}]")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2


def test_print_lays_out_every_section(watched):
    page = watched("sample").page
    page.emulate_media(media="print")
    from playwright.sync_api import expect

    for section in SECTIONS:
        # The page draws the sections not yet opened when the print media matches: wait for that.
        expect(page.locator(f"#{section}")).to_be_visible(timeout=10_000)
        assert page.locator(f"#{section} h2").count() == 1
    assert not page.locator("nav").is_visible()
