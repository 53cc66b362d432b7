"""The suite's runtime: command line, browser discovery, logging, ledger and run records."""

__version__ = "0.1.0"
