"""What several test files share: a settable clock, a way to run Python in a child process that
imports the same netcrm as the tests, and read-only looks at a database file through stdlib sqlite3.

Imported as ``helpers`` (pytest puts this directory on sys.path); it defines no fixtures of its own
so that conftest.py stays the only place with session-wide hooks.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import netcrm

UTC = dt.timezone.utc

# Words that must never reach a user: the C++ side's type and namespace names.
CPP_WORDS = ("crm::", "std::", "SQLite::", "pybind11", "nlohmann", "what():")


class FixedClock:
    """A clock for ``netcrm.open(..., clock=...)`` that stays where it is put.

    >>> clock = FixedClock(dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    >>> clock.advance(seconds=90)
    """

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.now = start
        self.calls = 0

    def __call__(self) -> dt.datetime:
        self.calls += 1
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def package_root() -> Path:
    """The directory that holds the ``netcrm`` package the tests import (source tree or site-packages)."""
    return Path(netcrm.__file__).resolve().parent.parent


def is_installed() -> bool:
    """True when netcrm was imported from a site-packages directory (pip install), not from python/."""
    root = package_root()
    site_dirs = {Path(p).resolve() for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])}
    return root in site_dirs or root.name in ("site-packages", "dist-packages")


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: ours, with the directory of our netcrm first on PYTHONPATH."""
    env = dict(os.environ)
    parts = [str(package_root())] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env.update(extra)
    return env


def python_command(script: Path, *args: str) -> list[str]:
    """argv for running ``script`` with the interpreter that runs the tests."""
    return [sys.executable, str(script), *args]


def run_python(script: Path, *args: str, timeout: float = 60, **popen: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(python_command(script, *args), env=child_env(), capture_output=True, text=True,
                          timeout=timeout, **popen)


def sqlite_query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Runs one statement through stdlib sqlite3 (not netcrm) and returns its rows."""
    con = sqlite3.connect(str(path))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def sqlite_pragma(path: Path, pragma: str) -> Any:
    return sqlite_query(path, f"PRAGMA {pragma}")[0][0]


def sibling_files(path: Path) -> set[str]:
    """Names of the files next to ``path`` that belong to it (-wal, -shm, -journal)."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p.name != path.name}


def assert_no_cpp_words(message: str) -> None:
    for word in CPP_WORDS:
        assert word not in message, f"{word!r} leaked into a user-facing message: {message!r}"
