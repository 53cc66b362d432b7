"""Unattended scheduling entry point (``python scheduler.py`` or ``rpa schedule``)."""
