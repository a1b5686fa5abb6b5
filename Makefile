# 两条命令：make run（安装、生成演示数据仓库、启动看板）与 make test（安装、运行全部测试）。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WAREHOUSE := data/warehouse.duckdb

.PHONY: run test lint bench setup system-deps demo-warehouse bundle

# In an unpacked offline bundle (wheelhouse/ present) install.sh installs from it, never the index.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	if [ -d wheelhouse ]; then ./install.sh; else \
	    test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	    $(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt; fi
	touch $@

setup: $(BIN)/.installed

# The demo warehouse is built only when there is none: a loaded warehouse is never overwritten here.
$(WAREHOUSE): | $(BIN)/.installed
	$(BIN)/python -m warehouse demo data/demo_exports
	$(BIN)/python -m warehouse load data/demo_exports --warehouse $(WAREHOUSE)

demo-warehouse: $(WAREHOUSE)

# Demo mode: made-up data, the public demo cookie key and the demo accounts (README).
run: setup $(WAREHOUSE)
	$(BIN)/python -m access demo-accounts
	APP_DEMO=1 $(BIN)/python -m ui.serve app.py

system-deps:
	bash scripts/system-deps.sh

# Style first: ruff's lint and format checks (pyproject.toml), then every test.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup system-deps lint
	APP_BCRYPT_ROUNDS=4 $(BIN)/python -m pytest -q

# Benchmark: loads at 1×/10×/100×, page renders, 20 concurrent sessions, 40 on one replica and on
# two behind nginx; several minutes.
# Results in artifacts/bench/results.md and results.json (README「基准测试」).
bench: setup system-deps
	$(BIN)/python -m bench --scales 1,10,100 --sessions 20 --repeats 21 --load-repeats 5 --out artifacts/bench

# Offline bundle for a server without internet (README「离线安装」): code, wheels for x86_64 and
# aarch64 (Python 3.11), requirements.lock, Debian package list, install.sh → dist/<name>-<version>.tar.gz
bundle:
	$(PYTHON) scripts/bundle.py
