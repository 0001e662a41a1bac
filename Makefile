# Two commands do everything on a fresh machine: `make extract` (installs, then extracts the
# bundled raw_docs/ into outputs/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RAW_DIR ?= raw_docs
OUT_DIR ?= outputs
GOLD_DIR ?= gold
ARGS ?=
# bytecode of the sources, written even where PYTHONDONTWRITEBYTECODE is set (as in many
# containers): each worker process then loads it instead of compiling the sources again
BYTECODE = $(BIN)/python -m compileall -q pipeline extractors > /dev/null

.PHONY: install extract test qa bench bench-deadlines bench-agencies dictionary clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

extract: install
	$(BYTECODE)
	$(BIN)/python -m pipeline extract $(RAW_DIR) --out $(OUT_DIR) $(ARGS)

test: install
	$(BIN)/python -m pytest $(ARGS)

qa: install
	$(BIN)/python -m pipeline qa --gold $(GOLD_DIR) --raw $(RAW_DIR) --out $(OUT_DIR) $(ARGS)

bench: install
	$(BYTECODE)
	$(BIN)/python scripts/bench.py $(ARGS)

bench-deadlines: install
	$(BIN)/python scripts/bench_deadlines.py --gold $(GOLD_DIR) --raw $(RAW_DIR) $(ARGS)

bench-agencies: install
	$(BIN)/python scripts/bench_agencies.py --gold $(GOLD_DIR) --raw $(RAW_DIR) $(ARGS)

dictionary: install
	$(BIN)/python -m pipeline dictionary > docs/data_dictionary.md

clean:
	rm -rf $(OUT_DIR)/* .pytest_cache
