# One entry per habit. `make demo` and `make test` each run the setup first when it is needed,
# so either one alone works on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.setup-done
PYTEST_ARGS ?=
# Test processes for `make test`: each has its own sandbox server and browsers. Tests are dealt
# out one by one and an idle process takes work from a busy one (--dist worksteal), so one long
# file of browser tests does not leave the other process waiting at the end.
TEST_WORKERS ?= 2

.PHONY: setup test test-fast lint demo bench sandbox clean

setup: $(STAMP)

$(STAMP): pyproject.toml sandbox/package.json sandbox/package-lock.json scripts/setup.sh
	PYTHON=$(PYTHON) bash scripts/setup.sh
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The logic tests: no browser, no long-running subprocesses (about a minute on 2 cores).
test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

demo: $(STAMP)
	RPA_LOG_DIR=logs $(BIN)/rpa --home .rpa-home/demo run raise-purchase-orders --sandbox \
		--input examples/purchase-requests.csv

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

sandbox: $(STAMP)
	$(BIN)/rpa sandbox serve

clean:
	rm -rf $(VENV) sandbox/node_modules .rpa-home .pytest_cache .mypy_cache .ruff_cache
