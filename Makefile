# One non-recursive Makefile for every command, the internal library and the tests.
#   make            build every command into build/
#   make check      unit tests, e2e tests, and the e2e suite again on the ASAN=1 build
#   make demo       count, record and fold the bundled example
#   make bench      ours vs perf, ratios of medians
#   make deps       install missing Debian packages
#   V=1             print full commands;  ASAN=1  sanitizer build into build-asan/

ifeq ($(FUZZ),1)
# libFuzzer harnesses: clang, the library instrumented for coverage and sanitizers.
BUILD   ?= build-fuzz
CC      := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_WERROR := -Wno-error -Wno-unknown-warning-option
else ifeq ($(ASAN),1)
BUILD   ?= build-asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD   ?= build
SANFLAGS :=
endif

CC      ?= cc
PKGS    := libelf libdw libunwind capstone libtraceevent libzstd zlib libprotobuf-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror $(FUZZ_WERROR) -Wno-unused-parameter -Wno-format-truncation -Wshadow \
           -fno-strict-aliasing -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS  := $(PKG_LIBS) -liberty -lpthread -lm

ifneq ($(V),1)
Q := @
echo_cmd = @printf '  %-6s %s\n' $(1) $(2);
else
Q :=
echo_cmd :=
endif

LIB_DIRS := util sampler perfdata symbols unwind report
LIB_SRCS := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libprof.a

CMDS     := $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)))
CMD_BINS := $(CMDS:%=$(BUILD)/%)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
PROG_SRCS := $(sort $(wildcard tests/progs/*.c))
PROG_BINS := $(PROG_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:%.c=$(BUILD)/%)

.SECONDARY:
.PHONY: pressure
.PHONY: all check unit unit-bins e2e e2e-asan demo bench deps clean progs fuzz fuzzers fuzz-check
all: $(CMD_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call echo_cmd,CC,$<)$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call echo_cmd,AR,$@)rm -f $@ && ar rcs $@ $^

$(BUILD)/%: $(BUILD)/cmd/%.o $(LIB)
	$(call echo_cmd,LINK,$@)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	$(call echo_cmd,LINK,$@)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(LIB)
	$(call echo_cmd,LINK,$@)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

fuzzers: $(FUZZ_BINS)

# Workloads with known profiles: frame pointers and debug info, no sanitizer.
$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(call echo_cmd,PROG,$@)$(CC) -O1 -g -fno-omit-frame-pointer -fno-inline -pthread -o $@ $< -lm

progs: $(PROG_BINS)

unit-bins: $(UNIT_BINS)

unit: $(UNIT_BINS)
	$(Q)set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# Tests whose assertions depend on having the CPUs to themselves (sample shares, no lost
# samples at 20 kHz, CPU-time comparisons, time limits) run alone; the rest two at a time.
NPROC        := $(shell nproc 2>/dev/null || echo 2)
E2E_ALL      := $(sort $(wildcard tests/e2e/*.t))
E2E_SERIAL   := $(filter $(addprefix tests/e2e/,precord.t precord_limits.t preport.t pstat.t hardening.t hardening_limits.t pressure.t),$(E2E_ALL))
E2E_PARALLEL := $(filter-out $(E2E_SERIAL),$(E2E_ALL))
# a file that fails is run once more (scripts/prove-retry.sh says why); the first failure stays
# in the log
define run_e2e
	$(Q)set -e; export BIN=$(1) PROGS=$(abspath build)/tests/progs $(2); \
	scripts/prove-retry.sh $(1)/e2e-parallel.state -j$(NPROC) $(E2E_PARALLEL); \
	scripts/prove-retry.sh $(1)/e2e-serial.state $(E2E_SERIAL)
endef

e2e: all progs
	$(call run_e2e,$(abspath $(BUILD)),)

e2e-asan:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) ASAN=1 all
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) progs
	$(call run_e2e,$(abspath build-asan),ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)

# 30 s of precord -F 20000 -a -g on busy CPUs and 10 s with a 1-page ring (about 2 minutes).
pressure: all progs
	$(Q)PRESSURE=1 BIN=$(abspath $(BUILD)) PROGS=$(abspath $(BUILD))/tests/progs prove -v tests/e2e/pressure.t

# make fuzz: each harness for 10^6 executions (FUZZ_RUNS) from seed corpora of real files;
# crashes land in tests/fuzz/regress/HARNESS/ and are replayed by make check from then on.
fuzz: deps-check all progs
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzzers
	$(Q)scripts/fuzz.sh full $(abspath build-fuzz) $(abspath build)

# The short pass of make check: replay the regressions, then the three harnesses at once for 60 s.
fuzz-check:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) FUZZ=1 fuzzers
	$(Q)scripts/fuzz.sh short $(abspath build-fuzz) $(abspath build)

check: deps-check
	$(Q)scripts/setup-tracefs.sh
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all progs
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) unit-bins
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory e2e
	$(Q)$(MAKE) --no-print-directory e2e-asan
	$(Q)$(MAKE) --no-print-directory fuzz-check

demo: deps-check
	$(Q)scripts/setup-tracefs.sh
	$(Q)$(MAKE) --no-print-directory all progs
	$(Q)scripts/demo.sh $(abspath $(BUILD))

bench: deps-check
	$(Q)$(MAKE) --no-print-directory all progs
	$(Q)scripts/bench.sh $(abspath $(BUILD))

deps:
	$(Q)scripts/deps.sh

deps-check:
	$(Q)scripts/deps.sh --quiet

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
