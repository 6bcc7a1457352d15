# Two commands do everything from a fresh clone: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp


.PHONY: install report test lint lab bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[notebooks,test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install kcdata with its extras

report: install  ## the main job on the bundled document
	$(BIN)/kcdata build
	$(BIN)/kcdata report

test: install lint  ## every test, notebooks included (nbval, strict)
	$(BIN)/python -m pytest kcdata tests notebooks --doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/sanitize.cfg

lint: install
	$(BIN)/ruff check .

lab: install
	$(BIN)/jupyter lab notebooks

bench: install
	$(BIN)/python benchmarks/bench_parse.py --rows 100000
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_themes.py
	-$(BIN)/python benchmarks/bench_html.py  # needs chromium; exits 2 without it

clean:
	rm -rf $(VENV) reports .pytest_cache
