# The interaction model: interaction_models/<locale>.json is edited by hand; the skill package's
# copy is generated from it. Uses the project's venv Python when it exists (sync_model needs
# only the standard library), python3 otherwise.
MODEL_PY = $(or $(wildcard $(PY)),python3)

.PHONY: model model-check

# Write skill-package/interactionModels/custom/<locale>.json from interaction_models/.
model:
	$(MODEL_PY) -m devtools.sync_model

# Fail if a generated copy is missing, stale or orphaned.
model-check:
	$(MODEL_PY) -m devtools.sync_model --check
