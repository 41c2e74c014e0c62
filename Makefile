# Set-up and everyday commands. Each target creates the virtual environment it needs.
#   make briefs   fetch every source (sha256-checked) and build every country brief into reports/
#   make refresh  the scheduled command: take every source's newest release (validated before
#                 use; a refused one leaves the vintage in use), then rebuild what changed
#   make test     ruff, the import-layer contract (import-linter) and the full test suite
#   make lab      JupyterLab on the notebooks
# Offline: OSA_DATA_MIRROR=/path/to/mirror make briefs

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: briefs refresh test lab lint benchmark clean-venv

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $@

briefs: $(BIN)/.installed
	$(BIN)/osa-briefs data fetch --all
	$(BIN)/osa-briefs build --all

# A failed release update still builds (from the vintages in use), then exits non-zero.
refresh: $(BIN)/.installed
	$(BIN)/osa-briefs data fetch --all
	$(BIN)/osa-briefs data update --all; updated=$$?; \
	$(BIN)/osa-briefs build --all && exit $$updated

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lab: $(BIN)/.installed
	$(BIN)/jupyter lab notebooks/

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_incidents.py
	$(BIN)/python benchmarks/bench_briefs.py
	$(BIN)/python benchmarks/bench_backtest.py
	$(BIN)/python benchmarks/bench_figures.py

clean-venv:
	rm -rf $(VENV)
