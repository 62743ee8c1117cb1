# Speak every prompt to .cache/listen/*.wav with espeak-ng, and print how long each one runs.
.PHONY: listen
listen: venv
	@command -v espeak-ng >/dev/null || { echo "espeak-ng is needed: apt-get install -y espeak-ng"; exit 1; }
	$(PY) -m devtools.listen
