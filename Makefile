# Two commands: `make demo` (set up, convert data/, load, run example queries)
# and `make test` (set up, run the tests). Each makes its own virtual environment.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= .cable-kg/demo-store

.PHONY: demo test setup setup-test browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install -q -e .

setup-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: setup
	rm -rf $(STORE)
	$(BIN)/cable-kg load data/telegrams --store $(STORE)
	$(BIN)/cable-kg stats --store $(STORE)
	@for q in telegrams people places references reply-links operations timeline; do \
		echo; echo "== cable-kg query $$q"; \
		$(BIN)/cable-kg query $$q --store $(STORE) || exit 1; \
	done
	@for t in 3410@1951-06-05 478@1951-01-28; do \
		echo; echo "== cable-kg trace $$t"; \
		$(BIN)/cable-kg trace $$t --store $(STORE) || exit 1; \
	done

test: setup-test
	bash scripts/install-browser.sh
	$(BIN)/python -m pytest -q -n 2

bench: setup
	$(BIN)/python benchmarks/run.py 1000 10000

clean:
	rm -rf $(VENV) .cable-kg
