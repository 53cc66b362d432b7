"""``python -m app ...``: the same as the ``rpa`` command (how the scheduler starts each run)."""

from app.cli import main

if __name__ == "__main__":
    main()
