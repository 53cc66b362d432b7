"""The audit trail: a hash chain over everything the bots did, digests, evidence and retention.

Where each part lives:

- ``rpa.ledger.chain`` appends events to the chain, inside the ledger transaction whose change
  they describe (so the trail and the ledger can never disagree);
- :mod:`rpa.ledger.canonical` is the byte-exact JSON and hashing every record is built from;
- :mod:`rpa.audit.digests` writes the per-run digests (chain head + evidence hashes);
- :mod:`rpa.audit.verify` re-checks the chain, the digests and the evidence files;
- :mod:`rpa.audit.prune` applies the retention period to evidence and debug logs;
- :mod:`rpa.audit.queries` and :mod:`rpa.audit.run_view` answer support staff's questions.

The format is described for auditors in ``docs/audit.md``. The chain's own building blocks (the
canonical JSON, the event kinds) live in the ledger, which this package sits above.
"""
