"""Developer tools: the local console, request envelopes, a small NLU over the interaction model."""
