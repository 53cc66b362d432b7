"""The fleet of bot hosts sharing one PostgreSQL ledger: flow runs go through a queue
(procrastinate, in the ledger's own database), any number of ``rpa worker`` processes take them,
and any number of ``rpa schedule`` processes put each schedule's tick on it exactly once.

With the ledger on SQLite nothing here is used: the in-process scheduler (:mod:`app.scheduling`)
runs flows on its own host.
"""
