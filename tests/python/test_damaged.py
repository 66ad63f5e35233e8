"""A damaged database raises netcrm.StorageError (or IncompatibleDatabase, a StorageError, from
open()) from every call that reads the damage, with a message that says so: never a
UnicodeDecodeError, an empty RuntimeError or a JSON library's exception. integrity_check() reports
what it finds instead of raising.

Each kind of damage is made the way it happens: bytes written over pages, a file cut short, another
program writing rows with raw SQL (text that is not UTF-8, JSON that is not JSON, values of the
wrong type), a file that is not SQLite, a newer schema.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable

import pytest

import netcrm
from helpers import UTC, FixedClock, assert_no_cpp_words

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\n"
         "X-CUSTOM;X-FOO=bar:hello\r\nEND:VCARD\r\n")


def _fill(path: Path, contacts: int = 300) -> None:
    with netcrm.open(path, clock=FixedClock(NOW)) as crm:
        crm.time_zone = "Europe/Paris"
        crm.import_text(VCARD)
        for i in range(contacts):
            c = crm.contacts.add(display_name=f"Person {i:04}", emails=[f"p{i}@example.com"], tags=["met"],
                                 notes=[netcrm.Note("x" * 200, NOW)])
            if i % 50 == 0:
                crm.interactions.log("coffee", c, at=NOW - dt.timedelta(days=i))
                crm.follow_ups.schedule(c, f"Write to {i}", due=dt.timedelta(days=1))
        event = crm.events.add("Paris.rb", starts=NOW - dt.timedelta(days=3))
        crm.goals.add("Meet people", metric="contacts_met", at_least=5, event=event)


def _raw(path: Path, *statements: str) -> None:
    """Another program writing: stdlib sqlite3, no netcrm, constraints as SQLite enforces them."""
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA ignore_check_constraints = ON")
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def _garbage_over_pages(path: Path) -> None:
    """Bytes over every other page of the contacts' tables (what a bad disk does to a file): the
    header, the schema and the settings stay readable, so the file opens and the damage shows where
    it is read."""
    con = sqlite3.connect(str(path))
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = [n for (n,) in con.execute(
            "SELECT pageno FROM dbstat WHERE name IN ('contacts', 'contact_notes', 'contact_tags') ORDER BY pageno")]
    finally:
        con.close()
    assert len(pages) > 4
    with open(path, "r+b") as f:
        for n in pages[1::2]:
            f.seek((n - 1) * page_size)
            f.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 3)


DAMAGES: dict[str, Callable[[Path], None]] = {
    "garbage-over-pages": _garbage_over_pages,
    "truncated": _truncated,
    "name-not-utf8": lambda p: _raw(p, "UPDATE contacts SET display_name = CAST(X'41FF42' AS TEXT) WHERE id = 5"),
    "tag-not-utf8": lambda p: _raw(p, "UPDATE contact_tags SET tag = CAST(X'C328' AS TEXT) WHERE contact_id = 5"),
    "note-not-utf8": lambda p: _raw(p, "UPDATE contact_notes SET text = CAST(X'E282' AS TEXT) "
                                       "WHERE contact_id = 5"),
    "property-json": lambda p: _raw(p, "UPDATE contact_properties SET parameters = '{not json'"),
    "not-sqlite": lambda p: p.write_bytes(b"BEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n" * 500),
    "future-schema": lambda p: _raw(p, f"PRAGMA user_version = {netcrm.SCHEMA_VERSION + 1}"),
    "goal-filter-json": lambda p: _raw(p, "UPDATE goals SET filter = '{\"tags\": ['"),
    "batch-tags-json": lambda p: _raw(p, "UPDATE import_batches SET tags = 'not json'"),
    "birthday-type": lambda p: _raw(p, "UPDATE contacts SET birthday_month = 'April', birthday_day = 31 WHERE id = 5"),
    "created-at-type": lambda p: _raw(p, "UPDATE contacts SET created_at = 1e300 WHERE id = 5"),
}

CALLS: dict[str, Callable[[netcrm.CRM, Path], Any]] = {
    "list": lambda crm, d: crm.contacts.list(),
    "iterate": lambda crm, d: list(crm.contacts),
    "export-vcard": lambda crm, d: crm.export(d / "out.vcf"),
    "export-vcard3": lambda crm, d: crm.export(format="vcard3"),
    "export-csv": lambda crm, d: crm.export(d / "out.csv"),
    "export-json": lambda crm, d: crm.export(d / "out.json"),
    "tags": lambda crm, d: crm.contacts.tags(),
    "search": lambda crm, d: crm.contacts.search("person"),
    "count": lambda crm, d: len(crm.contacts),
    "get": lambda crm, d: crm.contacts.get(5),
    "export-ics": lambda crm, d: crm.export(d / "out.ics"),
    "digest": lambda crm, d: crm.digest(now=NOW),
    "events": lambda crm, d: crm.events.list(),
    "goals": lambda crm, d: crm.goals.list(),
    "goal-report": lambda crm, d: crm.goals.report(period="2026-03", as_of=NOW),
    "batches": lambda crm, d: crm.imports.list(),
    "time_zone": lambda crm, d: crm.time_zone,
}


def _check(error: BaseException) -> None:
    assert isinstance(error, netcrm.StorageError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert message.strip() and "\n" not in message
    assert_no_cpp_words(message)
    assert "json.exception" not in message


# Damage open() must refuse (IncompatibleDatabase), and damage that leaves the file openable.
REFUSED_AT_OPEN = {"not-sqlite", "future-schema"}
OPENS = {"garbage-over-pages", "name-not-utf8", "tag-not-utf8", "note-not-utf8", "property-json", "birthday-type",
         "created-at-type", "goal-filter-json", "batch-tags-json"}

# The calls that read what each damage breaks, and so must raise; the others may answer.
READS_CONTACTS = {"list", "iterate", "export-vcard", "export-vcard3", "export-csv", "export-json"}
MUST_RAISE: dict[str, set[str]] = {name: READS_CONTACTS for name in DAMAGES}
MUST_RAISE["goal-filter-json"] = {"export-json", "goals"}
MUST_RAISE["batch-tags-json"] = {"export-json", "batches"}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_database_raises_storage_error_from_every_call_that_reads_the_damage(
        tmp_path: Path, damage: str) -> None:
    db = tmp_path / "crm.db"
    _fill(db)
    DAMAGES[damage](db)
    try:
        crm = netcrm.open(db, clock=FixedClock(NOW))
    except Exception as e:  # noqa: BLE001 - what it is is the point
        _check(e)
        assert damage not in OPENS, f"{damage}: {e}"
        return
    assert damage not in REFUSED_AT_OPEN
    with crm:
        for name, call in CALLS.items():
            if name in MUST_RAISE[damage]:
                with pytest.raises(Exception) as info:
                    call(crm, tmp_path)
                _check(info.value)
                for out in ("out.vcf", "out.csv", "out.json"):
                    assert not (tmp_path / out).exists(), f"{name} left a half-written {out}"
            else:
                try:
                    call(crm, tmp_path)
                except Exception as e:  # noqa: BLE001 - what it is is the point
                    _check(e)
                for out in ("out.vcf", "out.csv", "out.json"):
                    (tmp_path / out).unlink(missing_ok=True)
        report = crm.integrity_check()
        assert isinstance(report, str) and report


def test_text_that_is_not_utf8_names_the_contact_and_the_field(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db, contacts=6)
    DAMAGES["name-not-utf8"](db)
    with netcrm.open(db) as crm:
        with pytest.raises(netcrm.StorageError, match=r"damaged: contact 5 has a display name that is not valid "
                                                      r"UTF-8") as info:
            crm.contacts.get(5)
        assert info.value.sqlite_code == 11  # SQLITE_CORRUPT
        assert crm.contacts.get(4).display_name == "Person 0002"  # the rest reads as before


def test_a_tag_that_is_not_utf8_fails_tags_with_storage_error_not_unicode_decode_error(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db, contacts=6)
    DAMAGES["tag-not-utf8"](db)
    with netcrm.open(db) as crm:
        with pytest.raises(netcrm.StorageError, match="not valid UTF-8"):
            crm.contacts.tags()


def test_json_that_is_not_json_names_the_card_property_and_the_contact(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db, contacts=2)
    DAMAGES["property-json"](db)
    with netcrm.open(db) as crm:
        with pytest.raises(netcrm.StorageError, match=r"a card property \(X-CUSTOM\) of contact 1 has "
                                                      r"parameters that are not netcrm's JSON"):
            crm.contacts.get(1)


def test_a_birthday_off_the_calendar_is_reported_as_damage(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db, contacts=6)
    _raw(db, "UPDATE contacts SET birthday_month = 2, birthday_day = 31 WHERE id = 5")
    with netcrm.open(db) as crm:
        with pytest.raises(netcrm.StorageError, match=r"contact 5 has an impossible birthday \(month 2, day 31\)"):
            crm.contacts.get(5)


def test_integrity_check_reports_garbage_over_pages_instead_of_raising(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db)
    _garbage_over_pages(db)
    try:
        crm = netcrm.open(db)
    except netcrm.StorageError:
        pytest.fail("page 1 is intact: the file opens, and the damage shows where it is read")
    with crm:
        report = crm.integrity_check()
    assert report != "ok"
    assert report.strip()


def test_opening_a_truncated_file_raises_incompatible_database_or_reads_with_storage_errors(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db)
    before = None
    _truncated(db)
    before = db.read_bytes()
    try:
        with netcrm.open(db) as crm:
            with pytest.raises(netcrm.StorageError):
                crm.contacts.list()
    except netcrm.IncompatibleDatabase as e:
        assert "damaged" in str(e)
    assert db.read_bytes() == before


@pytest.mark.parametrize(("sql", "message"), [
    ("UPDATE follow_ups SET reason = CAST(X'FF' AS TEXT)", "text that is not valid UTF-8"),
    ("UPDATE favors SET note = CAST(X'FF' AS TEXT)", "text that is not valid UTF-8"),
    ("UPDATE settings SET value = CAST(X'FF' AS TEXT) WHERE key = 'time_zone'",
     "the database's time zone setting is not valid UTF-8"),
    ("UPDATE settings SET value = 'Mars/Base' WHERE key = 'time_zone'",
     "the database's time zone 'Mars/Base' is not in this system's time zone database"),
], ids=["follow-up-reason", "favour-note", "zone-not-utf8", "zone-unknown"])
def test_the_digest_and_due_follow_ups_report_damage_as_storage_error(tmp_path: Path, sql: str, message: str) -> None:
    """Not the JSON library's RuntimeError, or a RuntimeError with no message at all."""
    db = tmp_path / "crm.db"
    with netcrm.open(db, clock=FixedClock(NOW)) as crm:
        crm.time_zone = "Europe/Paris"
        ada = crm.contacts.add(display_name="Ada Lovelace")
        crm.follow_ups.schedule(ada, "Send the deck", due=dt.timedelta(hours=1))
        crm.favors.receive(ada, "advice", note="an intro", thank=True)
    _raw(db, sql)
    later = NOW + dt.timedelta(days=1)
    with netcrm.open(db, clock=FixedClock(NOW)) as crm:
        with pytest.raises(netcrm.StorageError, match=message) as info:
            crm.digest(now=later)
        _check(info.value)
        if "zone" in message:
            with pytest.raises(netcrm.StorageError, match=message) as info:
                crm.follow_ups.due(now=later)
            _check(info.value)


@pytest.mark.parametrize(("sql", "call", "message"), [
    ("UPDATE favors SET kind = 'bribe'", lambda crm: crm.favors.list(),
     r"the database is damaged \(favour 1\): kind: unknown favour kind 'bribe'"),
    ("UPDATE favors SET status = 'maybe'", lambda crm: crm.favors.get(1),
     r"the database is damaged \(favour 1\): status"),
    ("UPDATE interactions SET kind = 'seance'", lambda crm: crm.interactions.list(),
     r"the database is damaged \(interaction 1\): kind: unknown interaction kind 'seance'"),
], ids=["favour-kind", "favour-status", "interaction-kind"])
def test_a_stored_kind_outside_netcrms_list_is_damage_not_invalid_input(
        tmp_path: Path, sql: str, call: Callable[[netcrm.CRM], object], message: str) -> None:
    """The caller passed nothing wrong: the row is what breaks the rule."""
    db = tmp_path / "crm.db"
    with netcrm.open(db, clock=FixedClock(NOW)) as crm:
        ada = crm.contacts.add(display_name="Ada Lovelace")
        crm.favors.receive(ada, "advice")
        crm.interactions.log("coffee", ada, at=NOW)
    _raw(db, sql)
    with netcrm.open(db) as crm:
        with pytest.raises(netcrm.StorageError, match=message) as info:
            call(crm)
        assert not isinstance(info.value, netcrm.InvalidInput)
        _check(info.value)


def test_a_goal_name_that_is_not_utf8_is_damage_naming_the_goal(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    _fill(db, contacts=2)
    _raw(db, "UPDATE goals SET name = CAST(X'4D6565749F' AS TEXT) WHERE id = 1")
    with netcrm.open(db) as crm:
        for call in (lambda: crm.goals.get(1), lambda: crm.goals.list(), lambda: crm.goals.progress(1)):
            with pytest.raises(netcrm.StorageError, match=r"damaged \(goal 1\): name .*UTF-8") as info:
                call()
            assert not isinstance(info.value, netcrm.InvalidInput)
            assert_no_cpp_words(str(info.value))
