"""Operator commands of ``rpa``: ``flows``, ``schedule``, ``doctor`` and ``config show``.

Each module defines one click command (or group); ``rpa/cli.py`` registers them.
"""
