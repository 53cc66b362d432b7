"""Tests of the sandbox: REST API, rules, sessions, faults and the server process."""
