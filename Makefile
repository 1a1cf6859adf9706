# The one task entry point. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TOOLS := $(CURDIR)/.tools
export PATH := $(TOOLS)/bin:$(TOOLS)/go/bin:$(PATH)
# The build needs a JDK 21+; scripts/java-home.sh finds one (or says what is missing).
export JAVA_HOME := $(shell scripts/java-home.sh 2>/dev/null)
# jsii (the CDK's Java bridge) runs on node; silence its end-of-life banner for node 20.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
MVNW := ./mvnw -B -q -Dstyle.color=never

# Each target installs only what it needs, through its setup-<target> prerequisite
# (scripts/setup.sh <target>): a fresh clone's `make synth` sets up no lint, bench or rehearsal tools.
SETUP_TARGETS := synth test-java test-bats lint bench rehearse

.PHONY: help setup $(addprefix setup-,$(SETUP_TARGETS)) synth cost test test-java test-bats lint fmt clean bench bench-pitr bench-wal-idle rehearse rehearse-up rehearse-down

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Install what every target needs, when missing (idempotent; root for apt); each target installs its own part
	@scripts/setup.sh

$(addprefix setup-,$(SETUP_TARGETS)): setup-%:
	@scripts/setup.sh $*

synth: setup-synth ## Synthesize the stacks into infrastructure/cdk.out (no AWS account needed; installs Maven and the CDK CLI only)
	@scripts/synth.sh

cost: synth ## Print the monthly on-demand cost of both profiles (single; ha at its minimum capacity)
	@scripts/cost.sh

test: test-java test-bats lint rehearse ## Run every test: Java (CDK, cdk-nag, API), the boot logic's bats cases, static checks, the rehearsal
	@echo "make test: all green"

test-java: setup-test-java ## Maven build and tests of every module (installs PostgreSQL + PostGIS and Redis for the API's tests)
	@$(MVNW) verify
	@scripts/test-summary.sh

test-bats: setup-test-bats ## bats cases of the on-instance scripts' decisions (infrastructure/packer/test/), no root or image needed
	@bats infrastructure/packer/test

rehearse: setup-rehearse ## Build (or reuse) the image locally, boot it in every scenario (CASE=<prefix> for some); root
	@REHEARSAL_CASE="$(CASE)" scripts/rehearse.sh run

bench-pitr: setup-rehearse ## PITR benchmark in the rehearsal: ~1 GiB, pgBackRest full backup, restore to latest on a new volume (root)
	@REHEARSAL_CASE=bench-pitr scripts/rehearse.sh run

bench-wal-idle: setup-rehearse ## WAL archived while idle, in the rehearsal (~17 min; BENCH_WAL_IDLE_MINUTES, default 10; root)
	@REHEARSAL_CASE=bench-wal-idle scripts/rehearse.sh run

rehearse-up: setup-rehearse ## Boot one local instance and leave it running; prints its API URL
	@scripts/rehearse.sh up

rehearse-down: ## Stop the instance rehearse-up left running, remove everything it made
	@scripts/rehearse.sh down

bench: setup-bench ## API benchmark: start-up and wrk figures against real PostgreSQL/Redis (docs/benchmarks.md)
	@$(MVNW) -pl api -am package -DskipTests
	@scripts/bench.sh

lint: setup-lint ## Static checks: shellcheck, formatting (shfmt, Spotless), cfn-lint, checkov and template facts, packer fmt/validate, systemd-analyze verify, actionlint, image content
	@scripts/lint.sh

fmt: setup-lint ## Format shell scripts (shfmt) and Java (Spotless, google-java-format) in place: what make lint checks
	@scripts/fmt.sh

clean: ## Remove build output (keeps .tools)
	@$(MVNW) clean
	@rm -rf infrastructure/cdk.out
