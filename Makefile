# Two commands do everything from a fresh clone: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp


.PHONY: install lock upgrade report test quick lint lab bench wheel messages clean

LOCK   := requirements.lock
# uv resolves the lock (make lock / make upgrade only; make install needs pip alone).
UV_VERSION := 0.13.9
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra notebooks --extra test \
	--universal --python-version 3.11 --custom-compile-command 'make lock' \
	--annotation-style line --quiet -o $(LOCK)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install exactly the locked versions, then kcdata (editable)

$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'

lock: $(BIN)/uv  ## refresh requirements.lock after editing pyproject.toml (keeps the other pins)
	$(UV_COMPILE)

upgrade: $(BIN)/uv  ## requirements.lock with the newest versions pyproject.toml allows
	$(UV_COMPILE) --upgrade

report: install  ## the main job on the bundled document
	$(BIN)/kcdata build --out data/processed
	$(BIN)/kcdata report --out reports

test: install lint  ## every test, notebooks included (nbval, strict)
	$(BIN)/python -m pytest kcdata tests notebooks --doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/sanitize.cfg

quick: install lint  ## the tests without the slow ones (the wheel in a fresh environment)
	$(BIN)/python -m pytest kcdata tests notebooks --doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/sanitize.cfg -m "not slow"

wheel: install  ## dist/kcdata-<version>-py3-none-any.whl, to install where there is no checkout
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps \
		--wheel-dir dist .

messages:  ## compile the message catalogs (needs GNU gettext's msgfmt); commit the .mo too
	msgfmt --check -o kcdata/locale/ja/LC_MESSAGES/kcdata.mo kcdata/locale/ja/LC_MESSAGES/kcdata.po

lint: install
	$(BIN)/ruff check .

lab: install
	$(BIN)/jupyter lab notebooks

bench: install
	$(BIN)/python benchmarks/bench_parse.py --rows 100000
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_themes.py
	$(BIN)/python benchmarks/bench_sheets.py
	$(BIN)/python benchmarks/bench_corpus.py --plans 200
	-$(BIN)/python benchmarks/bench_html.py  # needs chromium; exits 2 without it

clean:
	rm -rf $(VENV) reports processed .pytest_cache dist
