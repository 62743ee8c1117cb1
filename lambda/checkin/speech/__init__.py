"""Everything the skill says: prompts per locale, and the one place SSML is built."""
