SHELL := /bin/bash
# The two commands of the README:
#   make figures   set everything up, run every notebook in order, write data/processed/ and figures/
#   make test      set everything up, run pytest on tests/ and nbval (strict) on notebooks/
# Both are idempotent: a second run only re-does what changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: figures test setup browser data clean help bench

help:
	@echo "make figures  - set up .venv and run the whole analysis (notebooks, processed data, figures)"
	@echo "make test     - set up and run the whole test suite (pytest + nbval)"
	@echo "make bench    - run the benchmarks in benchmarks/"

# --- set-up -----------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "==> installing the project and its dependencies into $(VENV)"
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -m pip install $(PIP_FLAGS) -e ".[test]" 2>&1 | grep -v -e "is ignored" -e "BuildBackendWarning" ; test $${PIPESTATUS[0]:-0} -eq 0
	$(BIN)/python -c "import analysis, pandas, sklearn, plotly, kaleido, nbval"
	@touch $(STAMP)

# A Chromium for static figure export (kaleido drives it). Installed from Debian's
# packages where we can; otherwise stop with a message that names what to install.
browser:
	@$(BIN)/python -m analysis.browser --ensure

setup: $(STAMP) browser

# --- the main job: notebooks in dependency order, two at a time ---------------
figures: setup
	$(BIN)/python -m analysis.pipeline

# --- tests ------------------------------------------------------------------
test: setup
	$(BIN)/python -m pytest tests src notebooks --doctest-modules --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
