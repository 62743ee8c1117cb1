# The screens' APL documents: lambda/checkin/alexa/apl_documents.py is their source; each is
# saved in the skill package as skill-package/response/display/<name>/document.json, which a
# RenderDocument links to. tests/alexa/test_apl_documents.py fails when a saved copy is stale.
# Uses the project's venv Python when it exists (only the standard library is needed).
APL_PY = $(or $(wildcard $(PY)),python3)

.PHONY: apl apl-check

# Write every document into the skill package (and remove any it no longer builds).
apl:
	$(APL_PY) -m devtools.apl_package

# Fail if a saved document is missing, stale or orphaned.
apl-check:
	$(APL_PY) -m devtools.apl_package --check
