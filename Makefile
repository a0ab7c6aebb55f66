# ConvLens: `make demo` runs the course notebooks, `make test` runs every test.
# Both start with `make setup`, which is idempotent: a second run is quick.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# One release build serves both the executable and the tests, so the suite checks what ships.
SWIFT_BUILD := swift build -c release --build-tests -Xswiftc -enable-testing
BIN := .build/release/convlens
APT_PACKAGES := libzmq3-dev libopenblas-dev liblapacke-dev libpng-dev libjpeg62-turbo-dev libfftw3-dev libcairo2-dev fonts-dejavu-core pkg-config chromium chromium-driver node-configurable-http-proxy
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter

.PHONY: setup system-deps venv build kernelspec assets demo test test-swift test-protocol bench docs clean

setup: system-deps venv build kernelspec assets

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

# The ConvLens Pygments lexer (tools/pygments-convlens) is installed from the repository, with the
# pinned setuptools and no build isolation, so nothing unpinned is fetched to build it.
$(VENV)/.installed: requirements.txt tools/pygments-convlens/pyproject.toml tools/pygments-convlens/convlens_pygments/__init__.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps ./tools/pygments-convlens
	touch $@

build:
	$(SWIFT_BUILD)

kernelspec: build venv
	$(BIN) install --sys-prefix --prefix $(CURDIR)/$(VENV)

assets: venv
	$(PY) scripts/fetch_assets.py

demo: setup
	$(PY) scripts/run_notebooks.py

test: setup
	$(MAKE) test-swift test-protocol

# The ONNX fixtures (small models built with onnx.helper, checked by onnxruntime) are made
# fresh for every run; the Swift suite reads them from CONVLENS_ONNX_FIXTURES.
ONNX_FIXTURES := .build/onnx-fixtures

# The test runner loads OpenBLAS without the executable's start-up check (`convlens blas`), so
# it gets the kernels the executable would choose for this processor, unless the caller set them.
test-swift:
	$(PY) scripts/make_onnx_fixtures.py --out $(ONNX_FIXTURES) > /dev/null
	core=$${OPENBLAS_CORETYPE:-$$(.build/release/convlens blas --recommended)}; \
	if [ -n "$$core" ]; then export OPENBLAS_CORETYPE=$$core; fi; \
	CONVLENS_ONNX_FIXTURES=$(CURDIR)/$(ONNX_FIXTURES) swift test -c release --skip-build 2>&1 | tee .build/swift-test.log | tail -n 40; exit $${PIPESTATUS[0]}

test-protocol:
	$(PY) -m pytest -q Tests/protocol

bench: setup
	bash bench/run_all.sh

docs: build
	$(BIN) docs > docs/reference.md

clean:
	rm -rf .build $(VENV)
