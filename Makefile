# asebench: `make demo` runs both baselines on the built-in dataset; `make test` runs the checks.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM_TOOLS := bwrap:bubblewrap php:php-cli go:golang-go javac:default-jdk-headless mvn:maven node:nodejs npm:npm gcc:gcc git:git setpriv:util-linux prlimit:util-linux
# only the tests need a browser (the HTML report is checked in Chromium through playwright)
TEST_TOOLS := chromium:chromium
# shared libraries that built-in instances load (CairoSVG needs cairo)
SYSTEM_LIBRARIES := libcairo.so.2:libcairo2

.PHONY: install system-deps test-deps demo test lint validate adversarial clean

$(BIN)/asebench: pyproject.toml
	@echo "installing asebench and its dependencies into $(VENV) (quiet; several minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/asebench

# The sandbox (bubblewrap) and the language toolchains the checks and PoCs use.
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	for pair in $(SYSTEM_LIBRARIES); do \
	  ldconfig -p | grep -q "$${pair%%:*}" || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing system packages:$$missing (install: sudo apt-get install$$missing)"; exit 1; fi; \
	fi

# The browser the tests drive (not needed by `make demo` or a run).
test-deps:
	@missing=""; for pair in $(TEST_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing system packages:$$missing (install: sudo apt-get install$$missing)"; exit 1; fi; \
	fi

demo: install system-deps
	$(BIN)/asebench run --dataset builtin --baseline reference --cycles 1 --keep-going \
	  --log-dir demo-out/logs --json demo-out/reference.json --output-dir demo-out/reference
	$(BIN)/asebench run --dataset builtin --baseline vulnerable --cycles 1 --keep-going \
	  --log-dir demo-out/logs --json demo-out/vulnerable.json --output-dir demo-out/vulnerable

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: install system-deps test-deps lint
	$(BIN)/pytest -q -m "not whole_dataset"

# the attacks of a hostile answer or dataset; prints "contained N/M" (also part of `make test`)
adversarial: install system-deps
	$(BIN)/pytest -q tests/adversarial

validate: install system-deps
	$(BIN)/pytest -q -m whole_dataset
	$(BIN)/asebench validate builtin --repeat 3

clean:
	rm -rf demo-out logs .pytest_cache .mypy_cache .ruff_cache
