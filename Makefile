# The README's two commands. Each creates or reuses .venv and installs what it needs.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# the named-entity tagger's model (LAC 2.1.2, Apache-2.0; docs/extract.md): its sdist needs
	# pkg_resources and bdist_wheel to build, and its paddlepaddle dependency is never used
	$(BIN)/python -m pip install --quiet 'setuptools<81' wheel
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation LAC==2.1.2
	touch $(STAMP)

## make run [CORPUS=dir]: the whole pipeline on ../shared/corpus (or CORPUS, or the bundled data)
run: $(STAMP)
	$(BIN)/heartland run $(if $(CORPUS),--corpus $(CORPUS))

## make test: the whole test suite (installs Chromium for the browser tests when missing)
test: $(STAMP)
	./scripts/test-setup.sh
	$(BIN)/python -m pytest

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info out test-output
