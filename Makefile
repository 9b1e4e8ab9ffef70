SHELL := /bin/bash
# The two commands of the README:
#   make figures   set everything up, run every notebook in order, write data/processed/ and figures/
#   make test      set everything up, run pytest on tests/ and nbval (strict) on notebooks/
# Both are idempotent: a second run only re-does what changed.
#
# Set-up installs the exact versions in requirements.lock (hashes checked), then
# the project itself from those packages. `make lock` recomputes the lock from
# pyproject.toml; see "Locked environment" in the README.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOG    := $(VENV)/install.log
LOCK   := requirements.lock
LOCK_CONSTRAINTS := lock-constraints.txt

# The lock is computed by uv (this exact version, in a venv of its own).
UV_VERSION := 0.13.9
UV_VENV    := .venv-uv-$(UV_VERSION)
UV         := $(UV_VENV)/bin/uv
# make lock UPGRADE=1 moves every package to its newest version allowed by
# pyproject.toml and lock-constraints.txt; without it, versions already in the
# lock are kept wherever they still fit.
UPGRADE ?=

# pip, run by the Python $(1), with its output appended to the log $(2); on failure,
# the end of the log and its path, and a non-zero exit.
define pip_logged
$(1) -m pip --disable-pip-version-check --no-input $(3) >>$(2) 2>&1 \
  || { echo "error: pip $(firstword $(3)) failed; the end of $(2):" >&2; tail -n 25 $(2) | sed 's/^/    /' >&2; \
       echo "full log: $(2)" >&2; exit 1; }
endef

.PHONY: figures test setup browser clean help bench lock check-portable

help:
	@echo "make figures  - set up .venv and run the whole analysis (notebooks, processed data, figures)"
	@echo "make test     - set up and run the whole test suite (pytest + nbval)"
	@echo "make bench    - run the benchmarks in benchmarks/"
	@echo "make check-portable - re-run the themes notebook and the tests under several BLAS kernels"
	@echo "make setup    - only set up .venv from $(LOCK) and check for a browser"
	@echo "make lock     - recompute $(LOCK) from pyproject.toml (UPGRADE=1 to take newer versions)"
	@echo "make clean    - remove .venv and caches"

# --- set-up -----------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	@echo "==> creating $(VENV) with Python $$($(PYTHON) -c 'import sys; print(sys.version.split()[0])')"
	@$(PYTHON) -m venv $(VENV)

$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	@: > $(LOG)
	@echo "==> installing $$(grep -c '^[A-Za-z0-9]' $(LOCK)) locked packages from $(LOCK), hashes checked (those for other platforms are skipped; log: $(LOG))"
	@$(call pip_logged,$(BIN)/python,$(LOG),install --require-hashes --no-deps -r $(LOCK))
	@echo "==> installing the project in editable mode (no build isolation: setuptools comes from the lock)"
	@$(call pip_logged,$(BIN)/python,$(LOG),install --no-deps --no-build-isolation -e .)
	@echo "==> checking the installed packages (pip check, imports)"
	@$(call pip_logged,$(BIN)/python,$(LOG),check)
	@$(BIN)/python -c "import analysis, pandas, sklearn, plotly, kaleido, nbval"
	@touch $(STAMP)

# A Chromium for static figure export (kaleido drives it). Installed from Debian's
# packages where we can; otherwise stop with a message that names what to install.
browser: $(STAMP)
	@$(BIN)/python -m analysis.run.browser --ensure

setup: $(STAMP) browser

# --- the lock: exact versions and hashes for every platform, Python 3.11+ -----
$(UV):
	@echo "==> installing uv $(UV_VERSION) into $(UV_VENV)"
	@$(PYTHON) -m venv $(UV_VENV)
	@$(call pip_logged,$(UV_VENV)/bin/python,$(UV_VENV)/install.log,install "uv==$(UV_VERSION)")

# Inputs: pyproject.toml (dependencies and the test extra), its build-system
# requirements (so the project installs without build isolation) and pip itself.
lock: | $(UV)
	@echo "==> resolving $(LOCK) from pyproject.toml with uv $(UV_VERSION)$(if $(UPGRADE), (upgrading every package))"
	@$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' \
	  | $(UV) pip compile --quiet pyproject.toml - --extra test \
	      --universal --python-version 3.11 --generate-hashes \
	      --constraint $(LOCK_CONSTRAINTS) $(if $(UPGRADE),--upgrade) \
	      --custom-compile-command "make lock" --output-file $(LOCK)
	@echo "==> $(LOCK): $$(grep -c '^[A-Za-z0-9]' $(LOCK)) packages; now run make test and commit it"

# --- the main job: notebooks in dependency order, two at a time ---------------
figures: setup
	@$(BIN)/python -m analysis.run.pipeline

# --- tests ------------------------------------------------------------------
test: setup
	$(BIN)/python -m pytest tests src notebooks --doctest-modules --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

# Results must not depend on the BLAS kernel or the thread count: re-run the themes
# notebook and the whole suite under several OPENBLAS_CORETYPE values (KERNELS="A B" to choose).
check-portable: setup
	@$(BIN)/python -m analysis.run.portability $(if $(KERNELS),--kernels $(KERNELS))

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .venv-uv-* .pytest_cache .hypothesis
