# digits — thin wrappers over swift. `make run` starts the app, `make test` runs every test.
SWIFT      ?= swift
PREFIX     ?= /usr/local
BIN         = .build/release/digits
# Debian packages the build needs, and those the tests add (the terminal tests
# drive the app in tmux; one counts its writes with strace).
PACKAGES    = libopenblas-dev libncurses-dev zlib1g-dev libpng-dev libjpeg-dev libcurl4-openssl-dev
TEST_PACKAGES = tmux strace

.PHONY: run test build deps install clean bench fuzz scan replay teach-bench

run: deps build
	@$(BIN) draw

build:
	@$(SWIFT) build -c release --product digits

# Unit tests run in a debug build (bounds-checked); the end-to-end tests drive the
# release binary, as a user would.
test: PACKAGES += $(TEST_PACKAGES)
test: deps build
	@DIGITS_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --disable-swift-testing

# Speed on this machine; KERAS=1 adds the Keras reference in the same run (sets up a
# venv in /tmp from PyPI the first time) and the ratios. Not part of `make test`.
bench: deps build
	@scripts/bench.sh

# Scan-style pictures: all 10,000 MNIST test digits binarised, stretched to fill
# 16×16, ×4, black on white, as PNG through `digits predict` (accuracy, per digit,
# misreads, polarity mistakes). Needs DIGITS_DATA. Not part of `make test`.
scan: deps build
	@test -n "$$DIGITS_DATA" || { echo "make scan: set DIGITS_DATA to the directory holding mnist/"; exit 2; }
	@SCAN_BENCH=1 DIGITS_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --disable-swift-testing --filter ScanStyleTests/testScanStyleBench

# Held-out writers' pen digits drawn through the app in tmux as mouse drags, read
# from the screen: REPLAY digits (default 300) at 120×40 and 80×24 (REPLAY_SIZES=full
# or compact for one). Needs DIGITS_DATA (unipen/). Not part of `make test`.
REPLAY ?= 300
replay: PACKAGES += tmux
replay: deps build
	@test -n "$$DIGITS_DATA" || { echo "make replay: set DIGITS_DATA to the directory holding unipen/"; exit 2; }
	@REPLAY=$(REPLAY) DIGITS_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --disable-swift-testing --filter PenReplayTmuxTests/testReplayBench

# Fuzz every reader of outside bytes for SECONDS each (libFuzzer + AddressSanitizer).
SECONDS ?= 30
fuzz: deps
	@scripts/fuzz.sh $(SECONDS)

install: build
	install -d $(PREFIX)/bin $(PREFIX)/share/digits
	install -m 755 $(BIN) $(PREFIX)/bin/digits
	install -m 644 assets/digitnet.safetensors $(PREFIX)/share/digits/digitnet.safetensors

# Checks that the Debian packages are present; installs the missing ones with
# apt-get as root (or through sudo), else says the exact command to run.
deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "digits needs these Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "run: sudo apt-get install$$missing"; exit 1; fi; \
	fi

clean:
	rm -rf .build

# Issue 14's teaching table (docs/PERFORMANCE.md): the UNIPEN writers the model
# reads worst, 5 samples of each digit taught through the canvas path, their
# other digits and MNIST test before → after, seconds. Needs DIGITS_DATA (mnist/,
# unipen/). WEIGHTS=FILE measures other weights; ALL_WRITERS=1 chooses among every
# writer (for a model that never trained on UNIPEN), else the held-out ones only.
teach-bench: build
	@test -n "$(DIGITS_DATA)" || { echo "set DIGITS_DATA to the folder holding mnist/ and unipen/"; exit 1; }
	@$(BIN) teach-bench --data "$(DIGITS_DATA)/mnist" --unipen "$(DIGITS_DATA)/unipen/digits.jsonl.gz" \
	  $(if $(WEIGHTS),--weights "$(WEIGHTS)") $(if $(ALL_WRITERS),--all-writers --writers 6)
