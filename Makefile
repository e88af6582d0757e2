# The two commands: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
PORT   ?= 8000
# The browser libraries (package.json): installed again only when the lock file changes.
NPM_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: install run test lint bench migrate messages clean mutate

$(STAMP): requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $(NPM_STAMP)

install: $(STAMP) $(NPM_STAMP)

run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py runall --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: lint
	DJANGO_SETTINGS_MODULE=register.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $${TEST_WORKERS:-2} -m "not browser" $(PYTEST_ARGS)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser $(PYTEST_ARGS)

# Benchmarks on PostgreSQL (see README, "Benchmarks"): BENCH_SIZES=small,national,large for
# all three; a size's database is generated once and kept.
bench: install
	NEED_BROWSER=0 bash .ci/services
	$(PY) -m bench.run --sizes $${BENCH_SIZES:-small} $(BENCH_ARGS)

# Mutation testing of the security- and figure-critical modules, each against its own tests
# (see README, "Mutation testing"). MUTATE_ARGS="need-to-know audit-trail" for some modules,
# "--ci" for those CI holds to their target; MUTATE_CHILDREN=1 on a busy machine.
mutate: install
	$(PY) tools/mutate.py $(MUTATE_ARGS)

migrate: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate

# Refresh the translation catalogues after changing user-facing strings.
messages: install
	DEBUG=true $(PY) manage.py makemessages -l nl -l en -l pap --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=mutants --ignore=node_modules --no-obsolete
	msgcat --use-first -o locale/pap/LC_MESSAGES/django.po locale/pap/LC_MESSAGES/django.po locale/pap/django_builtin.po locale/pap/countries.po
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=mutants

clean:
	rm -rf $(VENV) var node_modules
