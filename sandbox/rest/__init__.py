"""Oracle-shaped REST API of the sandbox (resources, query grammar, envelopes)."""
