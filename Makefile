# One command per artefact. `make help` lists them.
.PHONY: help install build lint test test-full bench proofs proof-check fmt-check demo clean

help:
	@echo "make install    npm ci (builds dist/) and Debian tools for cross-checks"
	@echo "make test       type-check, lint and the fast test tier (about a minute)"
	@echo "make test-full  type-check, lint and the whole suite (what CI runs: npm test)"
	@echo "make lint       ESLint with typescript-eslint"
	@echo "make bench      benchmarks; tables and JSON under bench/"
	@echo "make proofs     regenerate proofs/ for the verified library protocols"
	@echo "make proof-check re-run every proof in proofs/ (wasm z3, native z3, cvc5)"
	@echo "make fmt-check  every spec in canonical form"
	@echo "make demo       the README's main job"

install:
	bash scripts/install-system.sh
	npm ci --no-audit --no-fund

build:
	npx tsc -p tsconfig.json

lint:
	npx eslint src bench test

test:
	npm run test:fast

test-full:
	npm test

bench: build
	node dist/bench/run.js

proofs: build
	node scripts/make-proofs.js

proof-check: build
	@for d in proofs/*/; do node bin/bftsynth.js proof check $$d || exit 1; done

fmt-check: build
	@for f in specs/*.bft; do node bin/bftsynth.js fmt --check $$f || exit 1; done

demo: build
	node bin/bftsynth.js synth

clean:
	rm -rf dist coverage
