"""The runtime the flows run on: browser discovery, Oracle sessions and REST reads, the ledger,
run records, the audit trail, logging, retries, evidence files and exit codes."""

__version__ = "0.1.0"
