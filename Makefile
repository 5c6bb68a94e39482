# storypack: `make` builds the example content into output/, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VNU_VERSION := 26.9.27

.PHONY: all build watch check test typecheck bench pdf clean distclean

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@# Compiled once here: where PYTHONDONTWRITEBYTECODE is set (many CI images), every build and worker would compile the package again.
	$(BIN)/python -m compileall -q generator >/dev/null
	@# The W3C Nu HTML checker (vnu.jar, run with Java) for the meeting-pack tests; scripts off: Java comes from the system.
	if command -v npm >/dev/null 2>&1; then npm install --silent --no-save --no-audit --no-fund --ignore-scripts --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION); \
	else echo "npm not found: the HTML validator tests will skip (and fail under CI=true)"; fi
	touch $(STAMP)

pdf: $(STAMP)
	$(BIN)/storypack build --content content --output output --pdf --thumbnails

build: $(STAMP)
	$(BIN)/storypack build --content content --output output

# Rebuild what changed whenever content/ or templates/ change (Ctrl-C stops).
watch: $(STAMP)
	$(BIN)/storypack watch --content content --output output

check: $(STAMP)
	$(BIN)/storypack check --content content

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Speed and memory on a generated tree (100 decks, 200 meetings); BENCH_ARGS="--serial 100" times all decks serially too.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf output/* output/.storypack-build.json .storypack-cache build *.egg-info

distclean: clean
	rm -rf $(VENV)
