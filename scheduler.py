"""Unattended scheduling entry point (``python scheduler.py`` or ``rpa schedule``).

``python scheduler.py [--home DIR] [--list]`` is exactly ``rpa [--home DIR] schedule [--list]``:
for hosts where only the source tree is deployed and the ``rpa`` script is not on PATH.
"""

from __future__ import annotations

import sys


def scheduler_argv(argv: list[str]) -> list[str]:
    """Move a leading ``--home DIR`` (an option of ``rpa`` itself) in front of ``schedule``."""
    home: list[str] = []
    rest = list(argv)
    if rest[:1] == ["--home"] and len(rest) >= 2:
        home, rest = rest[:2], rest[2:]
    elif rest and rest[0].startswith("--home="):
        home, rest = rest[:1], rest[1:]
    return [*home, "schedule", *rest]


def main() -> None:
    from app.cli import cli
    from rpa.file_modes import restrict_new_files

    restrict_new_files()  # files 0640, directories 0750, as under ``rpa``
    sys.exit(cli.main(args=scheduler_argv(sys.argv[1:]), prog_name="scheduler.py"))


if __name__ == "__main__":
    main()
