# The interaction models: interaction_models/<language>.json and <locale>.json are edited by
# hand; every locale's whole model in the skill package is generated from them. Uses the project's venv Python when it exists (sync_model needs
# only the standard library), python3 otherwise.
MODEL_PY = $(or $(wildcard $(PY)),python3)

.PHONY: model model-check

# Write skill-package/interactionModels/custom/<locale>.json for every locale.
model:
	$(MODEL_PY) -m devtools.sync_model

# Fail if a generated copy is missing, stale or orphaned.
model-check:
	$(MODEL_PY) -m devtools.sync_model --check
