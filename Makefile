# The README's two setup commands: `make demo` and `make test`.
# Each creates .venv (once), installs everything the project needs, and runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARTICLE ?= ../shared/articles/iran-imis.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
# LibreTranslate (the remote engine's tests and bench start a real server) has pins
# of its own (Flask 2, numpy<2): it gets its own environment.
LT_VENV ?= .lt-venv
LT_PIP := $(LT_VENV)/bin/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test bench browser lt-venv clean

# argos-translate-lt provides the argostranslate package without stanza, so no PyTorch
# (and no CUDA wheel) is installed: the project's install is the user's install.
$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23 (what python3.11 -m venv brings) fails to resolve lxml[html_clean], which
	# trafilatura and readability-lxml both ask for: take a pip that can
	$(PIP) install "pip>=24"
	$(PIP) uninstall -y argostranslate stanza spacy torch 2>/dev/null || true  # an older .venv's
	$(PIP) install -e '.[test,bench]'
	touch $@

# The main job: install the English->Arabic model if it is missing and the
# network allows (a download of ~100 MB, no progress bar here), translate the
# article (without machine translation when no model could be had: one line
# says so), check the drafts and print the review status (exit 1 from
# check means "issues found", which the demo shows rather than fails on),
# and publish a draft edition (publishing proper waits for review).
demo: $(VENV)/.installed
	@printf 'demo: English->Arabic model: '; \
	if err=$$($(BIN)/localize models install --if-missing --timeout 20 2>&1 >/dev/null); \
	then $(BIN)/localize models list | grep 'used for en->ar'; \
	else echo "none, continuing without machine translation ($${err#Error: })"; fi
	@if $(BIN)/localize models list --json | grep -q '"active": true'; then mt=""; else mt="--no-mt"; fi; \
	  echo "localize translate $$mt $(ARTICLE)"; $(BIN)/localize translate $$mt $(ARTICLE)
	@echo "localize check translations/ar/$(basename $(notdir $(ARTICLE))).po"
	@$(BIN)/localize check translations/ar/$(basename $(notdir $(ARTICLE))).po; test $$? -le 1
	@echo "localize status"
	@$(BIN)/localize status
	@echo "localize publish translations/ar/$(basename $(notdir $(ARTICLE))).po   (refused until reviewed)"
	@$(BIN)/localize publish translations/ar/$(basename $(notdir $(ARTICLE))).po | tail -n 1
	@echo "localize publish --allow-draft --format html --format bilingual translations/ar/$(basename $(notdir $(ARTICLE))).po"
	@$(BIN)/localize publish --allow-draft --format html --format bilingual \
	  translations/ar/$(basename $(notdir $(ARTICLE))).po

$(LT_VENV)/.installed: libretranslate-constraints.txt
	$(PYTHON) -m venv $(LT_VENV)
	$(LT_PIP) install "pip>=24"
	$(LT_PIP) install -c libretranslate-constraints.txt libretranslate==1.9.6
	touch $@

lt-venv: $(LT_VENV)/.installed

test: $(VENV)/.installed $(LT_VENV)/.installed browser
	$(BIN)/python -m pytest -q

# What the tests need from Debian (chromium, chromium-driver, fonts, gettext), only if missing.
browser:
	@.ci/install-browser

bench: $(VENV)/.installed $(LT_VENV)/.installed
	$(BIN)/python bench/segment_speed.py
	$(BIN)/python bench/glossary_speed.py
	$(BIN)/python bench/mt_throughput.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/articles.py
	$(BIN)/python bench/memory_index.py
	$(BIN)/python bench/archive_scale.py
	$(BIN)/python bench/decoding_bound.py
	$(BIN)/python bench/draft_quality.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/terminology.py
	$(BIN)/python docs/gen_benchmarks.py

clean:
	rm -rf $(VENV) $(LT_VENV) build editions *.egg-info .pytest_cache .hypothesis
