"""The only package that talks to OR-Tools: `model` builds, `search` searches."""
