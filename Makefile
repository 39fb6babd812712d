# Redress: `make run` builds and opens the app, `make test` runs every check. Both install what is missing first
# (Debian/Ubuntu packages with apt, the UI's npm packages), and both are incremental.
SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev build-essential \
  libssl-dev pkg-config perl make xvfb xauth imagemagick webkit2gtk-driver fonts-dejavu-core fonts-noto-core \
  poppler-utils qpdf file libxdo-dev x11-utils dbus-x11 at-spi2-core xdotool \
  libimage-exiftool-perl gdb bubblewrap xdg-dbus-proxy \
  libtesseract-dev libleptonica-dev libclang-dev tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-ukr \
  tesseract-ocr-tur tesseract-ocr-ara tesseract-ocr-fra tesseract-ocr-spa
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO := cargo
UI := ui
UI_STAMP := $(UI)/node_modules/.redress-installed
UI_SOURCES := $(shell find $(UI)/src $(UI)/index.html $(UI)/vite.config.ts $(UI)/svelte.config.js -type f 2>/dev/null)

.PHONY: run build test bench deps system-deps rust-check ui-deps ui-build fmt-check clippy test-backend test-ui e2e \
  tauri-driver package clean

## Install missing system packages (apt) and check the Rust toolchain.
deps: system-deps rust-check ui-deps

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

rust-check:
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install rustup (https://rustup.rs), then run make again"; exit 1; }

ui-deps: $(UI_STAMP)
$(UI_STAMP): $(UI)/package.json $(UI)/package-lock.json
	cd $(UI) && npm ci --no-audit --no-fund
	@touch $@

ui-build: $(UI)/dist/index.html
$(UI)/dist/index.html: $(UI_STAMP) $(UI_SOURCES) $(UI)/package.json
	cd $(UI) && npm run build

## Build the UI, the desktop app, its readers of untrusted files (redress-worker and redress-ocr-worker, beside
## it) and redress-cli.
build: deps ui-build
	$(CARGO) build -p redress -p redress-cli -p redress-core --bins

## Build and open the app.
run: build
	./target/debug/redress

fmt-check: rust-check
	$(CARGO) fmt --all -- --check

## The bare window (tests/perf/bare) exists only for `make bench`, which builds it; the checks skip it.
clippy: deps ui-build
	$(CARGO) clippy --workspace --exclude bare-window --all-targets -- -D warnings

## The tests regenerate the UI's TypeScript bindings (ts-rs, and the command table of src-tauri/src/contract.rs):
## they must then equal the committed ones, or the UI was type-checked against types the backend no longer has.
test-backend: deps ui-build
	$(CARGO) test --workspace --exclude bare-window
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  changed=$$(git status --porcelain -- ui/src/lib/bindings); \
	  if [ -n "$$changed" ]; then \
	    echo "The generated TypeScript bindings differ from the committed ones; review and commit them:"; \
	    echo "$$changed"; exit 1; \
	  fi; \
	fi

test-ui: ui-deps
	cd $(UI) && npm run check && npm run lint && npm test

## tauri-driver (the WebDriver server for Tauri apps) from crates.io, unless it is already installed.
tauri-driver: rust-check
	@command -v tauri-driver >/dev/null || [ -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/tauri-driver" ] || \
	  $(CARGO) install tauri-driver --version ^2 --locked

## End-to-end tests: the app built with the e2e-hooks feature, in a real window under Xvfb, driven over WebDriver.
## Clippy first: `make clippy` builds without the feature, so it never sees tests/e2e/.
e2e: deps ui-build tauri-driver
	$(CARGO) clippy -p redress --features e2e-hooks --tests --no-deps -- -D warnings
	$(CARGO) build -q -p redress-core --bin redress-worker --bin redress-ocr-worker
	$(CARGO) test -p redress --features e2e-hooks --test e2e -- --test-threads=1
	@# The app with the test hooks must not stay where `make run` or a person would start it.
	$(CARGO) build -q -p redress

## Every check: formatting, lints, backend tests, UI checks, end-to-end tests.
test: deps fmt-check clippy test-backend test-ui e2e

## Benchmarks: print figures, never fail on time.
bench: deps ui-build
	$(CARGO) bench -p redress-core --bench journal --profile dev
	./tests/perf/app-bench.sh

## An installable .deb (release build; the Tauri CLI from the UI's npm packages; works offline).
package: deps ui-build
	$(CARGO) build --release -p redress-cli -p redress-core --bins
	./$(UI)/node_modules/.bin/tauri build --bundles deb
	@! grep -q e2e_drop target/release/redress || { echo "target/release/redress contains the e2e test hooks"; exit 1; }
	@ls -1 target/release/bundle/deb/*.deb

clean:
	$(CARGO) clean
	rm -rf $(UI)/dist $(UI)/node_modules
