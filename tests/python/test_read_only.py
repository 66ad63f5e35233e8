"""A database that cannot be written (a read-only folder, file or mount) opens for reading and
export; only a change raises, with netcrm.FileError saying why.

Tests run as root, and root writes whatever the permissions say; so the reader runs in a child
process that drops to the unprivileged user "nobody" first (as root) or is unprivileged already:
the same check of the file and its folder a user on a read-only share meets.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

import netcrm
from helpers import UTC, FixedClock, child_env

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

READER = r'''
import datetime as dt, json, os, sys
if os.getuid() == 0:
    os.setgid(65534)
    os.setuid(65534)  # nobody: file permissions apply from here on
import netcrm

now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
out = {}
with netcrm.open(sys.argv[1], clock=lambda: now) as crm:
    out["names"] = [c.display_name for c in crm.contacts.list()]
    out["search"] = [c.display_name for c in crm.contacts.search("ada")]
    out["tags"] = crm.contacts.tags()
    out["json"] = len(crm.export(format="json"))
    out["vcard"] = crm.export(format="vcard").count("BEGIN:VCARD")
    out["ics"] = crm.export(format="ics").count("BEGIN:VEVENT")
    out["goal"] = crm.goals.progress(crm.goals.list()[0], as_of=now).value
    out["integrity"] = crm.integrity_check()
    try:
        out["digest"] = [len(d.due) for d in [crm.digest(now=now + dt.timedelta(days=3))]][0]
    except Exception as e:
        out["digest"] = [type(e).__name__, str(e)]
    for name, change in (("add", lambda: crm.contacts.add(display_name="Grace Hopper")),
                         ("time_zone", lambda: setattr(crm, "time_zone", "Asia/Kolkata")),
                         ("log", lambda: crm.interactions.log("call", 1, at=now))):
        try:
            change()
            out[name] = "written"
        except Exception as e:
            out[name] = [type(e).__name__, isinstance(e, netcrm.FileError), str(e)]
    out["names_after"] = len(crm.contacts.list())
print(json.dumps(out))
'''


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder "nobody" may enter (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="netcrm-ro-"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        d.chmod(0o755)
        shutil.rmtree(d, ignore_errors=True)


def _fill(path: Path) -> int:
    """A small database; returns what its goal measures."""
    with netcrm.open(path, clock=FixedClock(NOW)) as crm:
        crm.time_zone = "Europe/Paris"
        ada = crm.contacts.add(display_name="Ada Lovelace", tags=["math"])
        bob = crm.contacts.add(display_name="Bob Babbage")
        event = crm.events.add("Paris.rb", starts=NOW - dt.timedelta(days=3))
        crm.events.met(event, ada)
        for days in (1, 2, 3):
            crm.interactions.log("coffee", ada, at=NOW - dt.timedelta(days=days))
        crm.follow_ups.schedule(ada, "Send the deck", due=dt.timedelta(days=2))
        goal = crm.goals.add("People", metric="conversations", at_least=2, period="2026-03")
        assert crm.goals.progress(goal, as_of=NOW).value == 1  # the summaries are kept from here
        # Left for the next reader to fold into the activity summaries: a write it cannot make.
        crm.interactions.log("coffee", bob, at=NOW - dt.timedelta(hours=1))
    expected = 2
    return expected


def _read(path: Path) -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-c", READER, str(path)], env=child_env(), capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out: dict[str, Any] = json.loads(run.stdout)
    return out


def _check(out: dict[str, Any], expected_goal: int, path: Path) -> None:
    assert out["names"] == ["Ada Lovelace", "Bob Babbage"]
    assert out["search"] == ["Ada Lovelace"]
    assert out["tags"] == {"math": 1}
    assert out["json"] > 0 and out["vcard"] == 2 and out["ics"] == 1
    assert out["goal"] == expected_goal
    assert out["integrity"] == "ok"
    assert out["digest"] == 1, out["digest"]  # the follow-up due in two days
    for change in ("add", "time_zone", "log"):
        kind, is_file_error, message = out[change]
        assert is_file_error, out[change]
        assert message == (f"cannot change '{path}': it is read-only (the file, its folder or its disk cannot be "
                           f"written); it can be read and exported")
    assert out["names_after"] == 2


def test_a_database_in_a_read_only_folder_opens_for_reading_and_export(shared_dir: Path) -> None:
    db = shared_dir / "crm.db"
    expected = _fill(db)
    before = db.read_bytes()
    db.chmod(0o444)
    shared_dir.chmod(0o555)
    _check(_read(db), expected, db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in shared_dir.iterdir()) == ["crm.db"]  # no -wal or -shm left or made


def test_a_read_only_file_in_a_writable_folder_opens_for_reading_and_export(shared_dir: Path) -> None:
    db = shared_dir / "crm.db"
    expected = _fill(db)
    before = db.read_bytes()
    db.chmod(0o444)
    _check(_read(db), expected, db)
    assert db.read_bytes() == before


def test_the_same_database_writable_is_written(shared_dir: Path) -> None:
    """The control: without the permissions, the reader's changes go through (so the above is no accident)."""
    db = shared_dir / "crm.db"
    _fill(db)
    db.chmod(0o666)
    shared_dir.chmod(0o777)
    out = _read(db)
    assert out["add"] == "written" and out["names_after"] == 3
    shared_dir.chmod(0o755)


def test_a_read_only_database_that_needs_a_migration_says_so(shared_dir: Path) -> None:
    db = shared_dir / "crm.db"
    _fill(db)
    import sqlite3
    con = sqlite3.connect(str(db))
    con.execute(f"PRAGMA user_version = {netcrm.SCHEMA_VERSION - 1}")
    con.commit()
    con.close()
    db.chmod(0o444)
    shared_dir.chmod(0o555)
    run = subprocess.run([sys.executable, "-c", READER, str(db)], env=child_env(), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "FileError" in run.stderr
    assert f"needs upgrading to schema version {netcrm.SCHEMA_VERSION} but cannot be written" in run.stderr
