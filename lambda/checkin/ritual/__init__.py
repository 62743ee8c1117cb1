"""The ritual engine: pure data and transitions, no Alexa and no AWS."""
