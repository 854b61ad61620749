# WSIS implementation platform. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
NODES ?= 1
APP_SERVERS ?= 1
WORKERS ?=

.PHONY: help install prerequisites run worker migrate demo-data logins lint format test search-up search-down serve-prod

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install the project with its dev tools

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo-data: migrate ## Load the demo content (idempotent)
	$(PY) manage.py seed_demo

logins: install ## Print fresh passwords for the demo users
	$(PY) manage.py reset_demo_logins --url http://$(HOST):$(PORT)/admin/

# Everything `make run` starts links to the address it serves: e-mails (their
# links use WAGTAILADMIN_BASE_URL), calendar files and page URLs (the Site record).
run: export WAGTAILADMIN_BASE_URL = http://$(HOST):$(PORT)
run: demo-data ## Serve the site with a background worker (PORT=8000, HOST=127.0.0.1)
	@$(PY) manage.py set_site_address
	@$(PY) manage.py reset_demo_logins --url http://$(HOST):$(PORT)/admin/
	@echo "Starting the django-q2 worker and the web server (Ctrl-C stops both)."
	@bash scripts/run_dev.sh $(PY) $(HOST) $(PORT)

worker: install ## Run the django-q2 worker (qcluster)
	$(PY) manage.py qcluster

serve-prod: install ## Serve the production way (APP_SERVERS=2 WORKERS=2: two servers behind HAProxy)
	@$(PY) -m scripts.serve_prod --bind $(HOST):$(PORT) --app-servers $(APP_SERVERS) $(if $(WORKERS),--workers $(WORKERS))

lint: install ## Lint and check formatting (code and templates)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djhtml --check templates

format: install ## Fix lint and format the code and templates
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	$(PY) -m djhtml templates

prerequisites: ## Install the system packages make test needs (apt, as root)
	@bash scripts/prerequisites.sh

test: prerequisites install ## The whole suite: gates, then PostgreSQL + OpenSearch, then SQLite
	$(PY) -m scripts.run_tests $(ARGS)

search-up: install ## Start the local OpenSearch node (NODES=3: a cluster); prints the variables to export
	@$(PY) -m scripts.opensearch_node up --nodes $(NODES)

search-down: ## Stop the local OpenSearch node, or every node of the cluster
	@$(PY) -m scripts.opensearch_node down
