# mrsim: the two commands of the quick start.
#   make run    install what is missing, build, run the main job
#   make test   install what is missing, build, run the whole suite through CTest
# Everything else is CMake; this file only sets up and delegates.

BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# CI sets CI=true: warnings become errors there.
ifeq ($(CI),true)
CMAKE_ARGS += -DMRSIM_WERROR=ON
endif

# Debian/Ubuntu package names of every build and run-time dependency.
PACKAGES := cmake make gcc pkg-config libgsl-dev libyaml-dev libsqlite3-dev \
            libncurses-dev libcriterion-dev gnuplot-nox sqlite3

.PHONY: run test build deps clean bench

# The main job: the three topologies of the reference architecture under one
# region outage, side by side with paired 95% CIs (scenarios/compare-topologies.yaml).
run: build
	@./$(BUILD)/mrsim compare scenarios/compare-topologies.yaml

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

bench: build
	./$(BUILD)/bench/phold-compare

# Install only the packages that are missing; apt-get needs a fresh package
# list first on a new machine. Root installs directly, others through sudo.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "mrsim: installing missing packages:$$missing"; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "mrsim: error: apt-get not found; install these packages by hand:$$missing" >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "mrsim: error: not root and sudo not found; as root run: apt-get update && apt-get install -y$$missing" >&2; exit 1; fi; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

clean:
	rm -rf $(BUILD) build-asan
