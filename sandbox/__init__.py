"""A local stand-in for myOracle's procurement pages and REST API (see docs/sandbox.md)."""
