"""Hostile workbooks cost what their data costs (issue 19, finding 7): merges that claim a
million rows, and stray cells far to the right, are bounded by the cells that hold values."""

from __future__ import annotations

import tracemalloc

import pytest
from openpyxl import Workbook

from portfolio_graph.loaders import LoadRejected, load_files
from portfolio_graph.loaders.read import MAX_COLUMNS, column_letter, read_tables


def with_merges(path, refs: list[str]):
    """The workbook at ``path`` with <mergeCell> elements added to its first sheet's XML, as a
    hostile file carries them (openpyxl itself would build a cell object per merged cell)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    items[sheet] = items[sheet].replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{merges}</mergeCells>'.encode(), 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    return path


def workbook_with_merges(path, merges: int):
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(["项目编号", "项目名称", "所属片区", "备注", "备注2"])
    for i in range(1, 6):
        ws.append([f"P-{i}", f"项目{i}", None, f"说明{i}" if i == 1 else None, None])
    wb.save(path)
    return with_merges(path, [f"D{3 + k}:E1048576" for k in range(merges)])  # as in the report


def peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_million_row_merges_cost_only_the_rows_that_exist(tmp_path):
    path = workbook_with_merges(tmp_path / "bomb.xlsx", merges=10)
    problems: list = []
    tables: list = []
    peak = peak_bytes(lambda: tables.extend(read_tables(path, problems)))
    assert peak < 30 * 2**20, f"{peak / 2**20:.0f} MiB for a 5-row sheet"  # 1 GB before the fix
    [table] = tables
    rows = dict(table.rows)
    assert sorted(rows) == [2, 3, 4, 5, 6]
    # Rows 3.. lie in the first merge, whose top-left cell (D3) is empty: the merge fills None.
    assert rows[2][:4] == ["P-1", "项目1", None, "说明1"]
    assert rows[6][:2] == ["P-5", "项目5"]


def test_merged_cells_are_still_filled_across_real_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称", "所属片区"])
    ws.append(["P-1", "一号", "主山片区"])
    ws.append(["P-2", "二号", None])
    ws.append(["P-3", "三号", None])
    wb.save(tmp_path / "m.xlsx")
    with_merges(tmp_path / "m.xlsx", ["C2:C1048576"])
    [table] = read_tables(tmp_path / "m.xlsx", [])
    assert [cells[2] for _, cells in table.rows] == ["主山片区"] * 3


def test_a_value_far_to_the_right_is_a_located_error_not_minutes_of_work(backend, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(["项目编号", "项目名称"])
    for i in range(2, 2002):
        ws.cell(row=i, column=1, value=f"P-{i}")
        ws.cell(row=i, column=2, value=f"项目{i}")
        ws.cell(row=i, column=16384, value="x")  # column XFD
    wb.save(tmp_path / "wide.xlsx")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [tmp_path / "wide.xlsx"])
    [problem] = caught.value.errors
    assert (problem.sheet, problem.row, problem.column) == ("项目", 2, column_letter(MAX_COLUMNS))
    assert f"beyond its first {MAX_COLUMNS:,} columns" in problem.message
    assert backend.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 0}]


def test_styled_empty_cells_far_to_the_right_are_ignored(tmp_path):
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称"])
    ws.append(["P-1", "一号"])
    ws.cell(row=2, column=16384).font = Font(bold=True)  # formatting only: no value
    wb.save(tmp_path / "styled.xlsx")
    [table] = read_tables(tmp_path / "styled.xlsx", [])
    assert list(table.rows) == [(2, ["P-1", "一号"])]
