# The ritual's state diagram: docs/ritual.md is generated from the table in
# lambda/checkin/ritual/stages.py (tests/ritual/test_ritual_table.py fails when it is stale).
DIAGRAM_PY = $(or $(wildcard $(PY)),python3)

.PHONY: diagram diagram-check

# Write docs/ritual.md from the table.
diagram:
	$(DIAGRAM_PY) -m devtools.diagram

# Fail if docs/ritual.md is stale.
diagram-check:
	$(DIAGRAM_PY) -m devtools.diagram --check
