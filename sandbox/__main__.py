"""``python -m sandbox serve …``: the sandbox without the rest of the ``rpa`` command."""

from sandbox.cli import sandbox_group

if __name__ == "__main__":
    sandbox_group(prog_name="python -m sandbox")
