"""Tests of the runtime: ledger, run records, logging and redaction."""
