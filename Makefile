# The README's two commands: `make run` and `make test`.
GO      ?= go
BIN     := bin/picket
AGENT   := bin/picket-agent
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/package.json web/build.mjs
export CGO_ENABLED ?= 1

.PHONY: run build test test-go test-web lint bench web deps

run: build
	./$(BIN) serve --config examples/picket.yaml

build: web
	$(GO) build -o $(BIN) ./cmd/picket
	CGO_ENABLED=0 $(GO) build -tags agentonly -o $(AGENT) ./cmd/picket

# node_modules is refreshed only when the lock file changes.
web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && npm run build

web: web/dist/index.html

lint: web
	@out=$$(gofmt -l $$(find cmd internal e2e bench web -name '*.go' -not -path '*/node_modules/*')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags agentonly ./cmd/picket

test: deps lint test-web test-go

deps:
	./.ci/deps

test-web: web
	cd web && npm run typecheck && npm test

test-go: build
	$(GO) test -race -count=1 -timeout 15m ./...

bench: build
	$(GO) run ./bench/checks -n 100,1000,10000
