# One command per artefact. `make help` lists them.
.PHONY: help install build test bench fmt-check demo clean

help:
	@echo "make install    npm ci (builds dist/) and Debian tools for cross-checks"
	@echo "make test       the whole test suite (what CI runs)"
	@echo "make bench      benchmarks; tables and JSON under bench/"
	@echo "make fmt-check  every spec in canonical form"
	@echo "make demo       the README's main job"

install:
	bash scripts/install-system.sh
	npm ci --no-audit --no-fund

build:
	npx tsc -p tsconfig.json

test: build
	npx jest

bench: build
	node dist/bench/run.js

fmt-check: build
	@for f in specs/*.bft; do node bin/bftsynth.js fmt --check $$f || exit 1; done

demo: build
	node bin/bftsynth.js simulate specs/phase-king.bft --n 5 --t 1 --adversary split

clean:
	rm -rf dist coverage
