# One-command set-up: `make serve`, `make check` and `make test` create the virtual environment,
# install the pinned Python and npm packages, and (on Debian, as root) the system packages the tests
# need: Chromium, Node, nginx and Caddy (.ci/system-packages).
# `make check`: lint and the fast tests (no browser, no sweeps over every case), for every edit.
# `make test`: lint and every test, browser and sweeps included, before a merge.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser the tests drive: Debian's headless shell of Chromium (a fifth less CPU than the full
# browser for the same tests); `make test CHROMIUM=/usr/bin/chromium` drives the full browser.
CHROMIUM ?= /usr/bin/chromium-headless-shell
# The browser the benchmarks measure: the full Chromium a reader runs.
BENCHMARK_CHROMIUM ?= /usr/bin/chromium
# Tests run in parallel with pytest-xdist, one worker per CPU (at most 4); PYTEST_WORKERS=0 runs them
# in one process. Workers share one build of the real site (see tests/conftest.py).
PYTEST_WORKERS ?= auto
# pytest caches its rewritten test modules as bytecode; with PYTHONDONTWRITEBYTECODE set (as on
# some machines) every worker rewrites every test module again, about 10 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist worksteal
# The address the site is published at, for `make build` and `make release`; empty: site_url in
# mkdocs.yml. `SITE_URL=https://… make release` builds for publication.
SITE_URL ?=
SITE_URL_OPTION := $(if $(strip $(SITE_URL)),--site-url '$(strip $(SITE_URL))')

.PHONY: serve build release check test lint validate benchmark system-packages clean

$(INSTALLED): pyproject.toml constraints.txt package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(INSTALLED)
	$(BIN)/python -m generator validate
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: $(INSTALLED)
	$(BIN)/python -m generator build $(SITE_URL_OPTION)

# Refuses the placeholder site_url, or one that is not https, before anything is built.
release: $(INSTALLED)
	$(BIN)/python -m generator build --release $(SITE_URL_OPTION)

validate: $(INSTALLED)
	$(BIN)/python -m generator validate

lint: $(INSTALLED)
	$(BIN)/ruff check generator tests

check: lint
	$(PYTEST) -m "not browser and not slow"

test: lint system-packages
	CHROMIUM=$(CHROMIUM) $(PYTEST)

benchmark: $(INSTALLED)
	@CHROMIUM=$(BENCHMARK_CHROMIUM) .ci/system-packages
	@for script in benchmarks/*.py; do echo "== $$script"; CHROMIUM=$(BENCHMARK_CHROMIUM) $(BIN)/python $$script || exit 1; done

system-packages:
	@CHROMIUM=$(CHROMIUM) .ci/system-packages

clean:
	rm -rf $(VENV) node_modules site .site-*
