# The README's two setup commands: `make demo` and `make test`.
# Each creates .venv (once), installs everything the project needs, and runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARTICLE ?= ../shared/articles/iran-imis.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test bench clean

$(VENV)/.installed: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt torch==2.13.0
	$(PIP) install -c constraints.txt -e '.[test,bench]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/localize segment $(ARTICLE)
	$(BIN)/localize translate --no-mt $(ARTICLE)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/segment_speed.py
	$(BIN)/python bench/glossary_speed.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
