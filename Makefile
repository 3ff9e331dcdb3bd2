# Two commands do all the set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test lint format catalogs browser clean

site: $(VENV)/.installed
	$(BIN)/statement build

test: $(VENV)/.test-installed browser
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/pytest

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix generator tests
	$(BIN)/ruff format generator tests

# After changing a template's words: extract them and merge them into each language's catalog,
# then translate what is new (an untranslated message stops the build).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --omit-header --sort-output -F babel.cfg -o locales/messages.pot templates
	for lang in $$(ls locales | grep -v messages.pot); do \
	  $(BIN)/pybabel update --no-fuzzy-matching --omit-header --width=0 -i locales/messages.pot -d locales -l $$lang; done

clean:
	rm -rf site .venv .pytest_cache .ruff_cache
