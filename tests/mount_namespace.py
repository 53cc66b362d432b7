"""Running ``rpa`` where its home really is read-only or its disk really is full.

The tests run as root, and root ignores permission bits, so a read-only home must be a read-only
mount. Each command runs in a private mount namespace (``unshare -m``): the home is bind-mounted
read-only there, or a small tmpfs is mounted over a folder, and nothing outside the command sees
the mount. Tests using these helpers are skipped where mount namespaces are not available.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        done = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


needs_mount_namespace = pytest.mark.skipif(
    not _can_unshare(), reason="needs root and mount namespaces (unshare -m)"
)


def rpa_argv(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--home", str(home), *args]


def rpa_env(**settings: str) -> dict[str, str]:
    """A clean environment for ``rpa``: no RPA_* setting from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_")}
    env["PYTHONPATH"] = str(REPO)
    env.update(settings)
    return env


def in_namespace(setup: str, argv: Sequence[str]) -> list[str]:
    """``argv`` run after the shell commands ``setup``, in a mount namespace of its own."""
    return ["unshare", "-m", "sh", "-c", f'{setup} && exec "$@"', "sh", *argv]


def read_only_mount(path: Path) -> str:
    """Shell commands making ``path`` a read-only bind mount of itself."""
    quoted = shlex.quote(str(path))
    return f"mount --bind {quoted} {quoted} && mount -o remount,bind,ro {quoted}"


def small_full_tmpfs(path: Path, size: str = "2m") -> str:
    """Shell commands mounting a tmpfs of ``size`` on ``path`` and filling it up."""
    quoted = shlex.quote(str(path))
    filler = shlex.quote(str(path / "filler"))
    return (
        f"mount -t tmpfs -o size={size} tmpfs {quoted} && "
        f"{{ dd if=/dev/zero of={filler} bs=64k >/dev/null 2>&1; true; }}"
    )


def run_rpa(
    home: Path, *args: str, setup: str | None, cwd: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    """``rpa --home HOME ARGS`` in a subprocess: in a mount namespace prepared by ``setup``
    (shell commands: :func:`read_only_mount`, :func:`small_full_tmpfs`), or plainly without."""
    argv = rpa_argv(home, *args)
    return subprocess.run(
        in_namespace(setup, argv) if setup else argv,
        env=rpa_env(**settings),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_read_only(
    home: Path, *args: str, cwd: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    """``rpa --home HOME ARGS`` with HOME mounted read-only."""
    return run_rpa(home, *args, setup=read_only_mount(home), cwd=cwd, **settings)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too) with its SHA-256: to prove nothing changed."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    } | {str(path.relative_to(root)) + "/": "dir" for path in root.rglob("*") if path.is_dir()}
