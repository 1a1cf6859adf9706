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

.PHONY: help setup synth cost test test-java lint clean bench rehearse rehearse-up rehearse-down

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Install what the build and tests need, when missing (idempotent; root for apt)
	@scripts/setup.sh

synth: setup ## Synthesize the stacks into infrastructure/cdk.out (no AWS account needed)
	@scripts/synth.sh

cost: synth ## Print the monthly on-demand cost of the synthesized compute and storage stacks
	@scripts/cost.sh

test: setup test-java lint rehearse ## Run every test: Java (CDK, cdk-nag, API), static checks, the rehearsal
	@echo "make test: all green"

test-java: setup ## Maven build and tests of every module
	@$(MVNW) verify
	@scripts/test-summary.sh

rehearse: setup ## Build (or reuse) the image locally, boot it in every scenario (CASE=<prefix> for some); root
	@REHEARSAL_CASE="$(CASE)" scripts/rehearse.sh run

rehearse-up: setup ## Boot one local instance and leave it running; prints its API URL
	@scripts/rehearse.sh up

rehearse-down: ## Stop the instance rehearse-up left running, remove everything it made
	@scripts/rehearse.sh down

bench: setup ## API benchmark: start-up and wrk figures against real PostgreSQL/Redis (docs/benchmarks.md)
	@$(MVNW) -pl api -am package -DskipTests
	@scripts/bench.sh

lint: setup ## Static checks: shellcheck, cfn-lint and template facts, packer fmt/validate, systemd-analyze verify, actionlint, image content
	@scripts/lint.sh

clean: ## Remove build output (keeps .tools)
	@$(MVNW) clean
	@rm -rf infrastructure/cdk.out
