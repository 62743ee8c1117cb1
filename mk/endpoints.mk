# The skill's copy of botocore's endpoint table, cut down to DynamoDB:
# lambda/checkin/store/botocore_data/endpoints.json (devtools/endpoints.py says why).
# tests/store/test_client.py fails when it differs from the installed botocore's; after a
# botocore upgrade in requirements-dev.txt, run `make endpoints` and commit the result.
ENDPOINTS_PY = $(or $(wildcard $(PY)),python3)

.PHONY: endpoints endpoints-check

endpoints: venv
	$(ENDPOINTS_PY) -m devtools.endpoints

endpoints-check: venv
	$(ENDPOINTS_PY) -m devtools.endpoints --check
