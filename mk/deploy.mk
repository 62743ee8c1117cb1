# Building and deploying the function with the AWS SAM CLI (README: Deploying).
# `make package` is `sam build` followed by hash-checked bytecode for the runtime's Python
# (devtools/bytecode.py says why: without it, every cold start compiles the whole package).
# `make deploy` packages, then runs `sam deploy $(SAM_DEPLOY_ARGS)`; the first time, use
# `make deploy SAM_DEPLOY_ARGS=--guided`.

.PHONY: package deploy

# python3.13 for `Runtime: python3.13`: the interpreter `sam build` itself needs.
RUNTIME_PYTHON ?= python$(shell sed -n 's/^ *Runtime: *python\(3\.[0-9]*\) *$$/\1/p' template.yaml | head -n 1)
SAM_BUILD_DIR ?= .aws-sam/build
SAM_DEPLOY_ARGS ?=

package:
	sam build
	$(RUNTIME_PYTHON) devtools/bytecode.py $(SAM_BUILD_DIR)/SkillFunction

deploy: package
	sam deploy $(SAM_DEPLOY_ARGS)
