# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test setup lint fmt messages clean interop-deps detection-stack

# Offline Node verifiers of the Open Badges interop tests: installed when node and npm exist
# (the tests skip without them, and fail on CI).
INTEROP := tests/interop/node
HAVE_NPM := $(shell command -v node >/dev/null && command -v npm >/dev/null && echo yes)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

## run: install, prepare the SQLite database with the demo data, serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/atout setup --demo
	$(BIN)/atout serve --port $(PORT)

## test: install the dev tools, lint, then run the whole test suite
test: $(VENV)/.installed-dev lint interop-deps
	$(BIN)/atout translations compile
	$(BIN)/pytest

interop-deps: $(if $(HAVE_NPM),$(INTEROP)/node_modules/.package-lock.json)

$(INTEROP)/node_modules/.package-lock.json: $(INTEROP)/package-lock.json
	npm ci --prefix $(INTEROP) --no-audit --no-fund
	touch $@

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy atout config

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## messages: refresh the English catalogue from the source (needs GNU gettext)
messages: $(VENV)/.installed
	$(BIN)/atout makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*' --ignore 'bench/*'

## detection-stack: re-learn the detector's second stage (atout/detection/data/stack.json) on
## held-out authors, after changing its examples or narratives (about 1 h on 2 cores)
detection-stack: $(VENV)/.installed-dev
	$(BIN)/python bench/oof_detection.py fr --groups 8 --name _all
	$(BIN)/python bench/stack_detection.py fr_all --stage-author-share 0.25 --write 0.25 --stack-c 1
	$(BIN)/python bench/oof_detection.py en --name _all
	$(BIN)/python bench/stack_detection.py en_all --stage-author-share 0.25 --write 0.2 --stack-c 1

clean:
	rm -rf $(VENV) var staticfiles
