"""The dashboard's data and file, on both engines: what the page embeds agrees with the reports,
every figure and link carries its source, the embedded JSON cannot end its script element, and
the two engines give the same page."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BACKEND_PARAMS
from dashboard_fixtures import RAW_NAMES, load_dongcheng, load_hostile
from portfolio_graph import Portfolio
from portfolio_graph.dashboard import dashboard_data, dashboard_html, script_json
from portfolio_graph.errors import InputError
from portfolio_graph.reports import get_report, run_report
from test_hostile_support import cli

DATA_BLOCK = re.compile(r'<script type="application/json" id="data">(.*?)</script>', re.S)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def sample(request):
    backend = request.getfixturevalue(f"_{request.param}_backend")
    load_dongcheng(backend)
    return Portfolio(backend)


def chain(data, name):
    return next(c for c in data["chains"] if c["name"] == name)


def names(data, entries):
    return [data["nodes"][entry[0]]["n"] for entry in entries]


def test_chain_map_segments_follow_the_report_upstream_first(sample):
    data = dashboard_data(sample)
    chip = chain(data, "芯片封装检测")
    assert [s["name"] for s in chip["segments"]] == ["芯片设计", "芯片软件", "封装技术", "芯片检测", "相关装备生产"]
    rows = run_report(sample.backend, get_report("chain-completeness"), {"lenient": False}).rows
    expected = {(r["chain"], r["segment"]): r["status"] for r in rows if r["segment"]}
    drawn = {(c["name"], s["name"]): s["status"] for c in data["chains"] for s in c["segments"]}
    assert drawn == expected
    assert names(data, chip["anchors"]) == ["利扬芯片"] and chip["anchors"][0][1] == "stated"


def test_chains_with_a_template_are_drawn_against_it_with_their_extensions(backend):
    load_dongcheng(backend, templates=True)
    pf = Portfolio(backend)
    data = dashboard_data(pf, lenient=True)
    assert data["meta"]["chain_view"] == "template"
    chip = chain(data, "芯片封装检测")
    assert chip["view"] == "template" and chip["template"] == "集成电路"
    rows = run_report(backend, get_report("chain-completeness"), {"lenient": True, "view": "template",
                                                                   "chain": "芯片封装检测"}).rows
    assert [(s["name"], s["status"]) for s in chip["segments"]] == [(r["segment"], r["status"]) for r in rows]
    assert any(s["status"] == "延链" for s in chip["segments"])
    assert [s["stream"] for s in chip["segments"]] == [r["stream"] for r in rows]
    district = chain(data, "孵化链条")  # no template covers it: drawn as the district states it
    assert district["view"] == "district" and all(s["status"] != "延链" for s in district["segments"])


def test_lights_come_from_the_schedule_report_for_the_month(backend):
    load_dongcheng(backend, schedule=True)
    data = dashboard_data(Portfolio(backend), params={"as_of": "2023-04"}, lenient=True)
    assert data["meta"]["lights"]["source"] == "schedule" and data["meta"]["lights"]["as_of"] == "2023-04"
    rows = run_report(backend, get_report("schedule"), {"as_of": "2023-04", "lenient": True}).rows
    expected = {r["project_id"]: r["light"] for r in rows if r.get("dimension") == "project" and r.get("light")}
    shown = {data["nodes"][p["node"]]["i"]: p["lt"] for p in data["projects"] if p.get("lt")}
    assert shown == expected and "红" in shown.values()
    assert data["meta"]["reports"]["goals-at-risk"]["as_of"] == "2023-04"  # the goals' risk is that month's too
    risky = [g for g in data["goals"] if g.get("rk") in ("高", "中")]
    assert risky and all("红灯或黄灯" in g["why"] for g in risky)


def test_inferred_members_are_listed_and_marked_and_count_only_when_lenient(sample):
    strict, lenient = dashboard_data(sample), dashboard_data(sample, lenient=True)
    testing = next(s for s in chain(strict, "芯片封装检测")["segments"] if s["name"] == "芯片检测")
    assert testing["status"] == "补链"  # the report only implies 利扬芯片's segment
    assert names(strict, testing["e"]) == ["利扬芯片"] and testing["e"][0][1] == "inferred"
    assert testing["e"][0][2]["inf"] == 1 and testing["e"][0][2]["why"]
    assert next(s for s in chain(lenient, "芯片封装检测")["segments"] if s["name"] == "芯片检测")["status"] == "强链"


def test_goals_join_progress_and_risk_with_a_reason(sample):
    data = dashboard_data(sample)
    tracker = run_report(sample.backend, get_report("goal-tracker"), {}).rows
    assert len(data["goals"]) == len(tracker)
    risks = {r["goal_id"]: r for r in run_report(sample.backend, get_report("goals-at-risk"), {}).rows}
    for goal in data["goals"]:
        node = data["nodes"][goal["node"]]
        if node["i"] in risks:
            assert goal["rk"] == risks[node["i"]]["risk"] and goal["why"]
    assert any(g.get("pg") is not None for g in data["goals"])


def test_projects_and_dependencies(sample):
    data = dashboard_data(sample)
    assert len(data["projects"]) == sample.stats()["labels"]["Project"]
    assert data["meta"]["lights"]["source"] == "status"  # no schedule loaded: status words, labelled
    status = {r["id"]: r["status"] for r in sample.backend.read("MATCH (p:Project) RETURN p.id AS id, p.status AS status")}
    assert {data["nodes"][p["node"]]["i"]: p.get("st") for p in data["projects"]} == status
    assert all(p["ph"] for p in data["projects"])
    kinds = {link[2] for link in data["links"]}
    assert {"DEPENDS_ON", "USES_PARCEL", "LOCATED_IN"} <= kinds
    # a strict page leaves inferred dependency links out, a lenient one draws them dashed
    assert all(link[3] == 0 for link in data["links"])
    assert any(link[3] == 1 for link in dashboard_data(sample, lenient=True)["links"])


def test_every_node_and_link_says_where_it_comes_from(sample):
    data = dashboard_data(sample, lenient=True)
    for node in data["nodes"]:
        assert node.get("p", {}).get("q"), f"{node['l']} {node['i']} has no quote"
        assert "f" in node["p"] and "r" in node["p"]
    links = [link[4] for link in data["links"]]
    links += [m[2] for c in data["chains"] for s in c["segments"] for m in s["e"] + s["p"]]
    assert links and all(p and p.get("q") and "r" in p for p in links)


def test_overview_counts_and_headline(sample):
    data = dashboard_data(sample)
    overview = data["overview"]
    assert overview["labels"] == sample.stats()["labels"]
    assert overview["total_projects"] == overview["labels"]["Project"]
    assert ["芯片封装检测", "芯片设计"] in overview["headline"]["gaps"]
    assert overview["by_status"] and overview["by_area"]


def test_parameters_go_to_the_reports_that_declare_them(sample):
    data = dashboard_data(sample, params={"year": 2023})
    assert {g.get("yr") for g in data["goals"]} == {2023}
    assert data["meta"]["reports"]["goal-tracker"]["year"] == 2023
    with pytest.raises(InputError, match="as_of_typo"):
        dashboard_data(sample, params={"as_of_typo": "2023-05"})


def test_both_engines_give_the_same_page(_falkordb_backend, _neo4j_backend):
    pages = []
    for backend in (_falkordb_backend, _neo4j_backend):
        load_dongcheng(backend)
        data = dashboard_data(Portfolio(backend), lenient=True)
        data["meta"].pop("generated"), data["meta"].pop("engine")
        pages.append(data)
    assert pages[0] == pages[1]


def test_script_json_cannot_end_its_element_and_reads_back():
    value = {"a": "</script><script>x()</script>", "b": "<!-- -->", "c": "\u2028\u2029", "d": "]]> & '\""}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_hostile_names_stay_inside_the_data_block(backend, tmp_path):
    stored = load_hostile(backend, tmp_path)
    html = dashboard_html(Portfolio(backend))
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    shown = {node["n"] for node in data["nodes"]}
    assert set(stored.values()) <= shown
    outside = DATA_BLOCK.sub("", html)
    for text in RAW_NAMES.values():
        assert text not in outside
    assert outside.count("<script") == 1  # the page's own script, and only that


def test_cli_writes_the_sample_under_5_mb(backend_location, tmp_path):
    backend, location = backend_location
    load_dongcheng(backend)
    out = tmp_path / "看板.html"
    result = cli(location, "dashboard", "-o", out, "--lenient")
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output
    assert 10_000 < out.stat().st_size < 5_000_000
    assert not list(tmp_path.glob(".*partial"))
    bad = cli(location, "dashboard", "-o", tmp_path / "x.html", "-p", "nonsense=1")
    assert bad.exit_code == 2 and "nonsense" in bad.output and not (tmp_path / "x.html").exists()


def test_demo_writes_the_samples_dashboard_and_prints_its_path(backend_location, tmp_path):
    backend, location = backend_location
    out = tmp_path / "demo" / "看板.html"
    result = cli(location, "demo", "--dashboard", out)
    assert result.exit_code == 0, result.output
    assert any(str(out.resolve()) in line and ("示例看板" in line or "Dashboard of the sample" in line)
               for line in result.output.splitlines()), result.output
    data = json.loads(DATA_BLOCK.search(out.read_text(encoding="utf-8")).group(1))
    assert data["meta"]["lenient"] and data["meta"]["lights"] == {**data["meta"]["lights"], "source": "schedule", "as_of": "2023-05"}
    assert chain(data, "芯片封装检测")["view"] == "template"  # the demo applies the chain templates


def test_demo_dashboard_goes_beside_the_embedded_database(_falkordb_backend, falkordb_path):
    from portfolio_graph.dashboard import demo_dashboard_path

    assert demo_dashboard_path(_falkordb_backend) == falkordb_path.parent / "dongcheng-dashboard.html"
