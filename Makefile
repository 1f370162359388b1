# mrsim: the two commands of the quick start.
#   make run    install what is missing, build, run the main job
#   make test   install what is missing, build, run the whole suite through CTest
#   make test-mpi  the same with Open MPI (MRSIM_MPI=ON, in build-mpi): the
#               MPI tests run mrsim under mpirun with 2 and 3 ranks
# Everything else is CMake; this file only sets up and delegates.

BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# CI sets CI=true: warnings become errors there.
ifeq ($(CI),true)
CMAKE_ARGS += -DMRSIM_WERROR=ON
endif

# Debian/Ubuntu package names of every build and run-time dependency;
# zsh and fish only so that the tests can check the syntax of their
# completion scripts (tests/e2e/test_completion.c).
PACKAGES := cmake make gcc pkg-config libgsl-dev libyaml-dev libsqlite3-dev \
            libncurses-dev libcriterion-dev gnuplot-nox sqlite3 tmux zsh fish
# Only for the MPI build (MRSIM_MPI=ON): the library, headers and mpirun.
MPI_PACKAGES := libopenmpi-dev openmpi-bin
BUILD_MPI ?= build-mpi
# Only for the fuzzers (make fuzz): clang, whose compiler-rt has libFuzzer.
FUZZ_PACKAGES := clang
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60

# make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]: the binary, its man
# page, the bash/zsh/fish completions, plots/ and the example scenarios
# (cmake --install; builds first when $(BUILD) has no binary yet).
PREFIX ?= /usr/local

.PHONY: install
install:
	@test -x $(BUILD)/mrsim || $(MAKE) build
	cmake --build $(BUILD) -j $(JOBS) --target mrsim mrsim-man-completions
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

.PHONY: run test build build-mrsim deps deps-mpi build-mpi test-mpi clean bench fuzz validate-model

# The main job: the three topologies of the reference architecture under one
# region outage, side by side with paired 95% CIs (scenarios/compare-topologies.yaml).
# Then the design-review page of the comparison (docs/figures.md), as one
# HTML file and as Markdown with its figures, in $(BUILD)/review.
REVIEW = $(BUILD)/review
run: build-mrsim
	@rm -rf $(REVIEW) && mkdir -p $(REVIEW)
	@./$(BUILD)/mrsim compare scenarios/compare-topologies.yaml --db $(REVIEW)/results.db
	@./$(BUILD)/mrsim report $(REVIEW)/results.db --out $(REVIEW)/review.html >/dev/null
	@./$(BUILD)/mrsim report $(REVIEW)/results.db --out $(REVIEW)/review.md >/dev/null
	@echo "mrsim: the design review is in $(REVIEW)/: review.html (one self-contained file)," \
	  "review.md with its figures in review-figures/, the results in results.db"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

# Only the program: the main job needs nothing else, and a newcomer's first
# `make run` should not wait for the test suite to compile.
build-mrsim: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS) --target mrsim

# The validation table (docs/validation.md): every test of tests/validation
# records its cases (reference, mrsim at each fidelity, verdict) as it
# checks them; the page is written even when a case disagrees, and the
# target then fails. `make test` runs the same tests, without the page.
VALIDATION_ROWS = $(BUILD)/validation-rows.tsv
validate-model: build
	@rm -f $(VALIDATION_ROWS)
	@status=0; MRSIM_VALIDATION_OUT=$(abspath $(VALIDATION_ROWS)) \
	  ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -R '^validation_' || status=$$?; \
	tools/validation-table.sh $(VALIDATION_ROWS) > docs/validation.md.tmp && \
	  mv docs/validation.md.tmp docs/validation.md && echo "mrsim: wrote docs/validation.md" && \
	  tail -n 1 docs/validation.md; exit $$status

bench: build
	./$(BUILD)/bench/phold-compare

# Install only the packages of $(1) that are missing; apt-get needs a fresh
# package list first on a new machine. Root installs directly, others
# through sudo.
define install_missing
	@missing=""; \
	for p in $(1); do \
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
endef

deps:
	$(call install_missing,$(PACKAGES))

deps-mpi: deps
	$(call install_missing,$(MPI_PACKAGES))

build-mpi: deps-mpi
	cmake -S . -B $(BUILD_MPI) -DCMAKE_BUILD_TYPE=Release -DMRSIM_MPI=ON $(CMAKE_ARGS)
	cmake --build $(BUILD_MPI) -j $(JOBS)

# The MPI tests, and the tests of the runner and the CLI, on the MPI build.
test-mpi: build-mpi
	ctest --test-dir $(BUILD_MPI) --output-on-failure -j $(JOBS) -R 'mpi_|replicate|relay|hist_pack|e2e_test_run|e2e_test_jobs'

# The libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan) in build-fuzz/,
# each run for FUZZ_SECONDS (tools/fuzz.sh; docs/development.md "Fuzzing").
fuzz: deps
	$(call install_missing,$(FUZZ_PACKAGES))
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	  -DMRSIM_FUZZ=ON -DMRSIM_TESTS=OFF $(CMAKE_ARGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_scenario fuzz_set
	tools/fuzz.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD_MPI) build-asan $(BUILD_FUZZ)
