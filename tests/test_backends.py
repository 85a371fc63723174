"""The backend contract, asserted identically on FalkorDB and Neo4j."""

from __future__ import annotations

import pytest

from conftest import BACKEND_PARAMS, backend_by_name
from portfolio_graph.graph import BackendError, GraphBatch, ReadOnlyViolation, RelRow, SchemaError
from portfolio_graph.graph import falkordb_backend


@pytest.fixture(params=[*BACKEND_PARAMS, "falkordb-staging"])
def backend(request, monkeypatch):
    """Each engine, and FalkorDB's two write paths: a small batch is one atomic query on the
    graph; a big one is written into a staging copy that is renamed over it. Every test here
    holds for both; "falkordb-staging" sends every batch the second way."""
    name = request.param
    if name == "falkordb-staging":
        monkeypatch.setattr(falkordb_backend, "ONE_QUERY_ROWS", 0)
        name = "falkordb"
    backend = backend_by_name(request, name)
    backend.clear()
    return backend


def small_batch() -> GraphBatch:
    batch = GraphBatch()
    batch.add_node("Chain", {"id": "C1", "name": "芯片封装检测"})
    for position, name in enumerate(["芯片设计", "芯片软件", "封装技术"], start=1):
        batch.add_node("ChainSegment", {"id": f"S{position}", "name": name, "position": position})
        batch.add_rel("PART_OF", RelRow("ChainSegment", f"S{position}", "Chain", "C1"))
    batch.add_node("Enterprise", {"id": "E1", "name": "利扬芯片", "tags": ["链主", "上市"]})
    batch.add_rel("ANCHORS", RelRow("Enterprise", "E1", "Chain", "C1", {"inferred": False}))
    batch.add_node("Project", {"id": "P1", "name": "利扬芯片监测项目", "investment_yi": 2.5, "start": "2023-03-01"})
    batch.add_node("Project", {"id": "P2", "name": "品美总部", "investment_yi": 6})
    batch.add_rel("OPERATED_BY", RelRow("Project", "P1", "Enterprise", "E1"))
    return batch


def test_upsert_then_query_returns_the_same_rows_on_both_backends(backend):
    summary = backend.upsert(small_batch())
    assert (summary.nodes_written, summary.rels_written) == (7, 5)
    rows = backend.read(
        "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain {name: $chain}) "
        "OPTIONAL MATCH (e:Enterprise)-[:ANCHORS]->(c) "
        "RETURN s.name AS segment, s.position AS position, e.name AS anchor, e.tags AS tags "
        "ORDER BY position",
        {"chain": "芯片封装检测"},
    )
    assert rows == [
        {"segment": "芯片设计", "position": 1, "anchor": "利扬芯片", "tags": ["链主", "上市"]},
        {"segment": "芯片软件", "position": 2, "anchor": "利扬芯片", "tags": ["链主", "上市"]},
        {"segment": "封装技术", "position": 3, "anchor": "利扬芯片", "tags": ["链主", "上市"]},
    ]


def test_sums_are_normalised_to_the_same_types(backend):
    backend.upsert(small_batch())
    rows = backend.read(
        "MATCH (p:Project) RETURN sum(p.investment_yi) AS total, count(p) AS n, "
        "sum(size(p.name)) AS chars"
    )
    assert rows == [{"total": 8.5, "n": 2, "chars": 12}]
    empty = backend.read("MATCH (p:Project {id: 'none'}) RETURN sum(p.investment_yi) AS total, count(p) AS n")
    assert empty == [{"total": 0, "n": 0}]
    assert type(empty[0]["total"]) is int


def test_upsert_is_idempotent_and_updates_and_removes_properties(backend):
    backend.upsert(small_batch())
    backend.upsert(small_batch())
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 7}]
    assert backend.read("MATCH ()-[r]->() RETURN count(r) AS n") == [{"n": 5}]
    update = GraphBatch()
    update.add_node("Project", {"id": "P2", "investment_yi": 7.5, "start": None})
    update.add_node("Project", {"id": "P1", "start": None})
    backend.upsert(update)
    rows = backend.read("MATCH (p:Project) RETURN p.id AS id, p.name AS name, p.investment_yi AS inv, p.start AS start ORDER BY id")
    assert rows == [
        {"id": "P1", "name": "利扬芯片监测项目", "inv": 2.5, "start": None},
        {"id": "P2", "name": "品美总部", "inv": 7.5, "start": None},
    ]


def test_a_batch_that_fails_half_way_leaves_the_graph_unchanged(backend):
    backend.upsert(small_batch())
    before = backend.read("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id")
    bad = GraphBatch()
    bad.add_node("Project", {"id": "P3", "name": "新项目"})
    bad.add_node("Project", {"id": "P1", "name": "改了名字"})
    bad.add_rel("OPERATED_BY", RelRow("Project", "P3", "Enterprise", "E-does-not-exist"))
    with pytest.raises(BackendError, match="endpoint is missing"):
        backend.upsert(bad)
    assert backend.read("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id") == before


def test_a_type_error_mid_batch_rolls_back_everything(backend):
    backend.upsert(small_batch())
    bad = GraphBatch()
    bad.add_node("Project", {"id": "P9", "name": "ok"})
    # Deleting first and then failing must not keep the deletion.
    bad.delete_node("Project", "P2")
    bad.add_rel("OPERATED_BY", RelRow("Project", "P9", "Enterprise", "missing"))
    with pytest.raises(BackendError):
        backend.upsert(bad)
    ids = [r["id"] for r in backend.read("MATCH (p:Project) RETURN p.id AS id ORDER BY id")]
    assert ids == ["P1", "P2"]


def test_delete_nodes_detaches_their_relationships(backend):
    backend.upsert(small_batch())
    batch = GraphBatch()
    batch.delete_node("Enterprise", "E1")
    summary = backend.upsert(batch)
    assert summary.nodes_deleted == 1
    assert backend.read("MATCH ()-[r]->() RETURN count(r) AS n") == [{"n": 3}]


def test_reads_refuse_writes(backend):
    with pytest.raises(ReadOnlyViolation):
        backend.read("CREATE (:Project {id: 'x', name: 'x'})")
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_batch_check_rejects_what_the_schema_does_not_allow(backend):
    unknown_label = GraphBatch()
    unknown_label.add_node("Person", {"id": "x", "name": "x"})
    with pytest.raises(SchemaError, match="unknown label 'Person'"):
        backend.upsert(unknown_label)
    wrong_endpoints = GraphBatch()
    wrong_endpoints.add_rel("ANCHORS", RelRow("Project", "P1", "Chain", "C1"))
    with pytest.raises(SchemaError, match="ANCHORS does not allow Project -> Chain"):
        backend.upsert(wrong_endpoints)


def test_unique_key_constraint_exists_for_every_label(backend):
    from portfolio_graph.graph import SCHEMA

    constrained = {row["label"] for row in backend.constraints() if row["properties"] == ["id"]}
    assert set(SCHEMA.labels) <= constrained


def test_hostile_strings_are_stored_literally(backend):
    hostile = ["x'}) DETACH DELETE n //", 'a"b\\c', "`Project`", "ｘ’｝）ＤＥＴＡＣＨ", "line\nbreak", "$param {x}"]
    batch = GraphBatch()
    for index, text in enumerate(hostile):
        batch.add_node("Project", {"id": f"H{index}", "name": text})
    backend.upsert(batch)
    rows = backend.read("MATCH (p:Project) RETURN p.name AS name ORDER BY p.id")
    assert [r["name"] for r in rows] == hostile
    found = backend.read("MATCH (p:Project {name: $name}) RETURN p.id AS id", {"name": hostile[0]})
    assert found == [{"id": "H0"}]


def test_delete_rels_removes_only_the_named_relationships(backend):
    backend.upsert(small_batch())
    batch = GraphBatch()
    batch.delete_rel("PART_OF", RelRow("ChainSegment", "S1", "Chain", "C1"))
    batch.delete_rel("PART_OF", RelRow("ChainSegment", "S9", "Chain", "C1"))  # absent: nothing to delete
    batch.add_rel("OPERATED_BY", RelRow("Project", "P2", "Enterprise", "E1"))
    summary = backend.upsert(batch)
    assert (summary.rels_deleted, summary.nodes_deleted) == (1, 0)
    rows = backend.read("MATCH (s:ChainSegment)-[:PART_OF]->(:Chain) RETURN s.id AS id ORDER BY id")
    assert rows == [{"id": "S2"}, {"id": "S3"}]
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 7}]


def test_returned_nodes_relationships_and_paths_keep_labels_and_type(backend):
    backend.upsert(small_batch())
    [row] = backend.read(
        "MATCH p = (e:Enterprise {id: 'E1'})-[r:ANCHORS]->(c:Chain) RETURN e AS e, r AS r, p AS p"
    )
    assert row["e"] == {"id": "E1", "name": "利扬芯片", "tags": ["链主", "上市"], "_labels": ["Enterprise"]}
    assert row["r"] == {"inferred": False, "_type": "ANCHORS"}
    assert [node["id"] for node in row["p"]] == ["E1", "C1"]


def test_properties_shared_by_a_chunk_are_written_to_every_row_with_their_own_types(backend):
    # The statements send properties every row shares once per chunk: a value shared by all
    # rows but one, or equal but of another type (1 and True), must still land row by row.
    batch = GraphBatch()
    batch.add_node("Enterprise", {"id": "E1", "name": "甲", "source": "名录", "source_row": 1, "inferred": True})
    batch.add_node("Enterprise", {"id": "E2", "name": "乙", "source": "名录", "source_row": True, "inferred": True})
    batch.add_node("Enterprise", {"id": "E3", "name": "丙", "source": "名录", "source_row": 1})
    for node_id in ("E1", "E2", "E3"):
        batch.add_rel("ANCHORS", RelRow("Enterprise", node_id, "Chain", "C1", {"source": "名录", "inferred": False}))
    batch.add_node("Chain", {"id": "C1", "name": "新能源"})
    backend.upsert(batch)
    rows = backend.read(
        "MATCH (e:Enterprise)-[r:ANCHORS]->(:Chain) RETURN e.id AS id, e.source AS source, e.source_row AS row, "
        "e.inferred AS inferred, r.source AS rel_source, r.inferred AS rel_inferred ORDER BY id"
    )
    assert rows == [
        {"id": "E1", "source": "名录", "row": 1, "inferred": True, "rel_source": "名录", "rel_inferred": False},
        {"id": "E2", "source": "名录", "row": True, "inferred": True, "rel_source": "名录", "rel_inferred": False},
        {"id": "E3", "source": "名录", "row": 1, "inferred": None, "rel_source": "名录", "rel_inferred": False},
    ]
    assert [type(r["row"]) for r in rows] == [int, bool, int]


def test_shared_properties_are_scalars_every_row_gives_with_the_same_type():
    from portfolio_graph.graph.statements import shared_properties

    rows = [
        {"id": "a", "source": "s", "n": 1, "flag": True, "none": None, "x": 0.0, "tags": ["t"], "only_first": 1},
        {"id": "b", "source": "s", "n": True, "flag": True, "none": None, "x": 0.0, "tags": ["t"]},
    ]
    assert shared_properties(rows, skip="id") == {"source": "s", "flag": True, "none": None}
    assert shared_properties(rows[:1], skip="id") == {"source": "s", "n": 1, "flag": True, "none": None,
                                                      "only_first": 1}
    assert shared_properties([]) == {}


@pytest.mark.parametrize("params, message", [
    ({"x": "a\x00b"}, r"parameter \$\.x contains a NUL byte"),
    ({"x": [1.0, float("nan")]}, r"parameter \$\.x\[1\] is not a finite number"),
    ({"x": {"bad`key": 1}}, r"parameter \$\.x has an unusable key"),
])
def test_parameters_one_engine_cannot_take_are_refused_by_both(backend, params, message):
    for run in (backend.read, backend.write):
        with pytest.raises(BackendError, match=message):
            run("RETURN $x AS x", params)


def test_creating_a_node_whose_key_exists_fails_the_whole_batch_and_says_why(backend):
    # A load CREATEs what its diff found new. If another write added the same key meanwhile,
    # the unique constraint refuses it: no second node, nothing of the batch written.
    backend.upsert(small_batch())
    late = GraphBatch()
    late.add_node("Project", {"id": "P7", "name": "新的"}, new=True)
    late.add_node("Project", {"id": "P1", "name": "别人刚写的"}, new=True)
    late.add_rel("OPERATED_BY", RelRow("Project", "P7", "Enterprise", "E1"), new=True)
    with pytest.raises(BackendError, match="create Project: a node with one of these ids exists already"):
        backend.upsert(late)
    rows = backend.read("MATCH (p:Project) RETURN p.id AS id, p.name AS name ORDER BY id")
    assert rows == [{"id": "P1", "name": "利扬芯片监测项目"}, {"id": "P2", "name": "品美总部"}]
    assert backend.read("MATCH ()-[r:OPERATED_BY]->() RETURN count(r) AS n") == [{"n": 1}]


def test_created_and_merged_rows_land_alike(backend):
    batch = GraphBatch()
    batch.add_node("Chain", {"id": "C1", "name": "新能源"}, new=True)
    batch.add_node("Enterprise", {"id": "E1", "name": "甲", "tags": ["链主"]}, new=True)
    batch.add_rel("ANCHORS", RelRow("Enterprise", "E1", "Chain", "C1", {"source": "名录"}), new=True)
    summary = backend.upsert(batch)
    assert (summary.nodes_written, summary.rels_written) == (2, 1)
    again = GraphBatch()
    again.add_node("Enterprise", {"id": "E1", "name": "甲二"})
    again.add_rel("ANCHORS", RelRow("Enterprise", "E1", "Chain", "C1", {"source": "名录二"}))
    backend.upsert(again)
    assert backend.read("MATCH (e:Enterprise)-[r:ANCHORS]->(c:Chain) RETURN e.name AS e, e.tags AS tags, "
                        "r.source AS s, c.name AS c") == [{"e": "甲二", "tags": ["链主"], "s": "名录二", "c": "新能源"}]
