# Two commands do all the set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# bash, for pipefail: a failed install must fail, even with its output filtered
SHELL := /bin/bash

.PHONY: site guide test test-quick format catalogs system-packages clean bench lock

# Short lines on what it does (pip's own output would be a minute of silence or a page of
# detail), and at the end where the site is and how to look at it.
site: $(VENV)/.installed
	@echo "Building the site from statement/: every version in every language, with its PDFs ..."
	@$(BIN)/statement build
	@echo ""
	@echo "The site is in $(CURDIR)/site/ : that folder is what you publish."
	@echo "To look at it: bin/statement serve  then open http://127.0.0.1:8000/ (Ctrl+C stops it)."
	@echo "Every command starts with bin/ : bin/statement check, bin/statement --help."

test: $(VENV)/.test-installed system-packages node_modules/.installed
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/pytest

# The same without the slow tests (the 24-language build, the README run in a fresh clone).
test-quick: $(VENV)/.test-installed system-packages node_modules/.installed
	$(BIN)/pytest -m "not slow"

# pip's stdout is cut down to a line per library (its errors, on stderr, pass through whole).
# The libraries at the versions requirements.lock pins: the ones the tests passed with.
$(VENV)/.installed: pyproject.toml requirements.lock
	@echo "Setting up .venv/, this project's own Python (nothing outside this folder changes) ..."
	@$(PYTHON) -m venv $(VENV)
	@echo "Installing the statement command and the libraries it uses (a minute the first time) ..."
	@set -o pipefail; $(BIN)/pip install --disable-pip-version-check --progress-bar off -r requirements.lock -e . \
	  | sed -n -e 's/^Collecting \([A-Za-z0-9_.-]*\).*/  \1/p' -e 's/^Successfully installed.*/  installed./p'
	@touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.lock -e '.[test]'
	touch $@

# Debian packages the tests use, as package:command (installed when the command is missing):
# chromium for the browser tests (Playwright never downloads a browser of its own), jing to
# validate the Atom feeds against RFC 4287's schema, a Java runtime for the Nu Html Checker,
# poppler-utils to read the PDFs back (pdfinfo, pdftotext, pdffonts), and npm to install the npm
# packages below.
SYSTEM_PACKAGES := chromium:chromium jing:jing default-jre-headless:java poppler-utils:pdfinfo npm:npm
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do command -v $${p#*:} >/dev/null || echo $${p%%:*}; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# The browser tests' npm packages (axe-core, vnu-jar), exactly as package-lock.json pins them.
# No install script runs: vnu-jar's would download a Java runtime of its own.
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The editors' guide (docs/) at http://127.0.0.1:8001/, rebuilt as you edit it.
# Port 8001 (mkdocs.yml), or the next free one, said as the preview says it.
FREE_PORT := from pathlib import Path; from generator.serve import free_port; \
  print(free_port(Path("."), 8001, lambda said: print(said, file=__import__("sys").stderr)))
guide: $(VENV)/.installed
	@port=$$($(BIN)/python -c '$(FREE_PORT)') && $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$$port

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix generator tests
	$(BIN)/ruff format generator tests

# After changing a template's words: extract them and merge them into each language's catalog,
# then translate what is new (an untranslated message stops the build).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --omit-header --sort-output -F babel.cfg -k N_ -o locales/messages.pot templates generator
	for lang in $$(ls locales | grep -v messages.pot); do \
	  $(BIN)/pybabel update --no-fuzzy-matching --omit-header --width=0 -i locales/messages.pot -d locales -l $$lang; done

# The benchmark (issue 7): our build against the mkdocs stack and against the limits of this
# machine, in one run of about 12 minutes on 2 cores (the 5,000-commit build with its 2,000 PDFs
# is 6 of them); sets up the peer in benchmarks/.peer-venv and writes benchmarks/RESULTS.md.
# BENCH_ARGS=--quick for a short trial run.
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# After changing the dependencies in pyproject.toml: pin what pip now chooses, in a venv of its own.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e .
	{ sed -n '/^#/p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > .lock && mv .lock requirements.lock
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	{ sed -n '/^#/p' requirements-test.lock; .lock-venv/bin/pip freeze --exclude-editable; } > .lock && mv .lock requirements-test.lock
	rm -rf .lock-venv

clean:
	rm -rf site .venv .pytest_cache .ruff_cache
