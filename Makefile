# The workbook's front door. `make start` serves it, `make test` runs every test; both set up .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
ROOM   ?= 2
LAB_PORT ?= 8888

.DEFAULT_GOAL := help
.PHONY: help install install-dev start workshop lab test audit lint format bench bench-rubric screenshots clean
.PHONY: install-hub test-scale bench-hub

help:
	@echo "make start   serve the workbook at http://$(HOST):$(PORT)/ (for a room: HOST=0.0.0.0 ROOM=30)"
	@echo "make workshop  serve a room: participants join, the facilitator's dashboard at /facilitator/"
	@echo "             (on the network, HOST=0.0.0.0 and ROOM=20 unless set; password: WORKBOOK_FACILITATOR_PASSWORD or asked)"
	@echo "make lab     open the same notebooks in JupyterLab (code visible)"
	@echo "make test    lint, unit tests, notebooks (nbval) and browser tests (installs Chromium if none is found)"
	@echo "make test-scale  the workbook on JupyterHub for real: PostgreSQL, the hub, 10 participants (slow)"
	@echo "make audit   known vulnerabilities in the runtime dependencies (pip-audit; needs the internet)"
	@echo "make bench   measure speed against a bare Voila page, the crowd series (30-300 at once) and the hub"
	@echo "             (prints tables, writes benchmarks/results/)"
	@echo "make bench-hub  join time and memory per participant on JupyterHub (10, then 30 at once)"
	@echo "make bench-rubric  time chapter 02's feedback and print its agreement with the labelled sets"
	@echo "make screenshots  every chapter on a phone, the room's dashboard and projector, into docs/screenshots/"
	@echo "make install create .venv and install the workbook"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Run: make PYTHON=/path/to/python3.11 …")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,lab]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# JupyterHub and what the deployment in deploy/ needs (the `hub` extra): only for make test-scale and
# make bench-hub, never for make start or make test.
$(VENV)/.installed-hub: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,lab,hub]"
	@touch $(VENV)/.installed $(VENV)/.installed-dev $@

install-hub: $(VENV)/.installed-hub

start: install
	$(BIN)/python -m widgets.server --host $(HOST) --port $(PORT) --room $(ROOM)

# A workshop listens on the local network and keeps 20 kernels ready, unless HOST or ROOM say otherwise.
WORKSHOP_HOST = $(if $(filter file,$(origin HOST)),0.0.0.0,$(HOST))
WORKSHOP_ROOM = $(if $(filter file,$(origin ROOM)),20,$(ROOM))

workshop: install
	$(BIN)/python -m widgets.server --workshop --host $(WORKSHOP_HOST) --port $(PORT) --room $(WORKSHOP_ROOM)

# JupyterLab refuses to run as root without --allow-root (containers, CI machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: install-dev
	cd workbooks && ../$(BIN)/jupyter lab --ServerApp.ip=$(HOST) --ServerApp.port=$(LAB_PORT) --no-browser $(ALLOW_ROOT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive Chromium: CHROMIUM if set, else one already installed, else one installed now
# (Playwright's download, or Debian's package as root): tests/browser/chromium.py.
FIND_CHROMIUM = $(BIN)/python -m tests.browser.chromium

test: lint
	@chromium=$$($(FIND_CHROMIUM)) && CHROMIUM="$$chromium" $(BIN)/python -m pytest tests --nbval-lax workbooks \
	  --ignore=tests/scale

# The workbook on JupyterHub, for real and slow (minutes): a throwaway PostgreSQL (Debian's, installed when
# missing), JupyterHub with deploy/jupyterhub_config.py and configurable-http-proxy (npm, into .venv/chp
# when missing), ten participants and a facilitator in Chromium, each on a server of their own.
test-scale: install-hub
	@chromium=$$($(FIND_CHROMIUM)) && CHROMIUM="$$chromium" $(BIN)/python -m pytest tests/scale -p no:cacheprovider

# Known vulnerabilities in exactly what `make start` installs, at the versions installed here (pip-audit
# looks them up in PyPI's advisory data, so it needs the internet). A vulnerability fails; dependencies it
# could not check are listed (AUDIT_STRICT=1 fails on them too). CI runs it after `make test` (.ci/run).
audit: install-dev
	$(BIN)/python .ci/audit.py

screenshots: install-dev
	@chromium=$$($(FIND_CHROMIUM)) && CHROMIUM="$$chromium" WORKBOOK_SCREENSHOTS=docs/screenshots \
	  $(BIN)/python -m pytest tests/browser/test_phone.py tests/browser/test_room.py \
	  -k "by_touch or every_debrief_view" -p no:cacheprovider -q

# Everything: the pages against bare Voila, the facilitator's room, the crowd series (one server for 30, 100,
# 200 and 300 at once) and the JupyterHub deployment (10 and 30 at once). About an hour on 2 cores.
bench: install-hub
	@chromium=$$($(FIND_CHROMIUM)) && CHROMIUM="$$chromium" $(BIN)/python benchmarks/run.py && \
	  CHROMIUM="$$chromium" $(BIN)/python benchmarks/hub.py

# The same hub as make test-scale: join time (10, then 30 at once) and memory per participant.
bench-hub: install-hub
	@chromium=$$($(FIND_CHROMIUM)) && CHROMIUM="$$chromium" $(BIN)/python benchmarks/hub.py

bench-rubric: install
	$(BIN)/python benchmarks/rubric.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
