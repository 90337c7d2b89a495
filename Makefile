# NetSign Console: `make run` serves the console, `make test` runs every test.
# Both set up whatever is missing first (OS packages, .venv, bun) and reuse what exists.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BUN_DIR := tools/bun/node_modules/.bin
PORT ?= 8000
# The filing authority's signing key and certificates (never committed; data/ is ignored).
KEYS_DIR := $(or $(NETSIGN_KEYS_DIR),data/keys)

# Reflex builds its frontend with the project-local bun, from the npm registry only.
export PATH := $(CURDIR)/$(BUN_DIR):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_CHECK_LATEST_VERSION := false
export NETSIGN_PORT := $(PORT)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup migrate demo bench diagram keys clean help

help:
	@echo "make run    安装依赖、迁移数据库、加载演示数据并启动控制台"
	@echo "make test   安装依赖并运行全部测试（单元、集成、浏览器）"
	@echo "make bench  运行性能基准并写入 docs/"

# --- setup -------------------------------------------------------------------------

.os-packages.stamp:
	@bash tools/install_os_packages.sh
	@touch $@

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(BUN_DIR)/bun: tools/bun/package.json tools/bun/package-lock.json
	cd tools/bun && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(KEYS_DIR)/signing.pem: | $(VENV)/.installed
	$(PY) -m netsign_console.documents keys

setup: .os-packages.stamp $(VENV)/.installed $(BUN_DIR)/bun $(KEYS_DIR)/signing.pem

# --- run ---------------------------------------------------------------------------

migrate: setup
	$(PY) -m alembic upgrade head

demo: migrate
	$(PY) -m netsign_console.demo

run: demo
	@echo ""
	@echo "  网签备案管理控制台 正在构建并启动，完成后请打开：http://localhost:$(PORT)/"
	@echo ""
	$(VENV)/bin/reflex run --env prod --single-port --backend-port $(PORT)

# --- test --------------------------------------------------------------------------

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench

keys: $(VENV)/.installed
	$(PY) -m netsign_console.documents keys

diagram: setup
	$(PY) -m netsign_console.workflow diagram

clean:
	rm -rf .web .states data/netsign.db data/netsign.db-*
