# storypack: `make` builds the example content into output/, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all build check test typecheck pdf clean distclean

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/storypack build --content content --output output

check: $(STAMP)
	$(BIN)/storypack check --content content

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

clean:
	rm -rf output/* build *.egg-info

distclean: clean
	rm -rf $(VENV)
