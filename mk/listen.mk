# Speak every prompt to .cache/listen/*.wav with espeak-ng, and print how long each one runs.
.PHONY: listen
listen: venv
	@command -v espeak-ng >/dev/null || { echo "espeak-ng is needed: apt-get install -y espeak-ng"; exit 1; }
	$(PY) -m devtools.listen

# How long the check of the five signs adds to a ritual, on the console's clock, with the
# skill's words rendered by espeak-ng (benchmarks/awareness_time.py). Target: at most 60 s.
# `make check-time LOCALE=es-ES` measures it in that locale, with its espeak-ng voice.
.PHONY: check-time
check-time: venv
	@command -v espeak-ng >/dev/null || { echo "espeak-ng is needed: apt-get install -y espeak-ng"; exit 1; }
	$(PY) -m benchmarks.awareness_time $(if $(LOCALE),--locale $(LOCALE))
