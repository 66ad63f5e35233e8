"""The file survives what happens to it in real use: a writer killed at any moment, two processes
writing at once, and hostile text (SQL, FTS syntax, NUL, lone surrogates, huge values)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import netcrm
from helpers import child_env, python_command, sqlite_pragma

# -- a writer killed with SIGKILL -----------------------------------------------------------------

WRITER = textwrap.dedent('''
    import json, sys
    import netcrm

    path, run = sys.argv[1], int(sys.argv[2])
    with netcrm.open(path) as crm:
        print(json.dumps({"ready": True}), flush=True)
        i = 0
        while True:
            name = f"Run {run} person {i} O'Brien \\"q\\" Zoë 🦄"
            c = crm.contacts.add(netcrm.Contact(name, tags=[f"run-{run}"], emails=[f"p{run}.{i}@example.com"],
                                                notes=[f"note {i} " + "x" * (i % 500)]))
            # Printed only once add() has returned, i.e. after COMMIT.
            print(json.dumps({"id": c.id, "name": name}), flush=True)
            i += 1
''')


def test_a_writer_killed_at_random_moments_loses_no_committed_contact(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    db = tmp_path / "killed.db"
    reported: dict[int, str] = {}
    killed_while_writing = 0
    deadline = time.monotonic() + 40
    for run in range(25):
        rng = random.Random(1000 + run)
        wait_for_ready = rng.random() < 0.8  # otherwise kill while it may still be opening/creating the file
        delay = rng.uniform(0.005, 0.25)
        proc = subprocess.Popen(python_command(script, str(db), str(run)), env=child_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8")
        try:
            assert proc.stdout is not None
            if wait_for_ready:
                first = proc.stdout.readline()
                if first.strip() != '{"ready": true}':
                    proc.kill()
                    _, err = proc.communicate(timeout=20)
                    pytest.fail(f"writer did not start: {first!r}\n{err}")
            time.sleep(delay)
            os.kill(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == -signal.SIGKILL, f"writer ended by itself: rc={proc.returncode} stderr={err!r}"
        lines = out.split("\n")
        for line in lines[:-1]:  # the last piece is "" or a line cut by the kill
            record = json.loads(line)
            if "id" in record:
                assert record["id"] not in reported, "an id was handed out twice"
                reported[record["id"]] = record["name"]
                if wait_for_ready:
                    killed_while_writing += 1
        assert time.monotonic() < deadline, "the kill loop is too slow for the suite's budget"

    assert len(reported) >= 50, "too few commits to prove anything; is the writer starting?"
    assert killed_while_writing > 0
    assert sqlite_pragma(db, "integrity_check") == "ok"
    with netcrm.open(db) as crm:
        assert crm.integrity_check() == "ok"
        assert len(crm.contacts) >= len(reported)
        for cid, name in reported.items():
            c = crm.contacts.find(cid)
            assert c is not None, f"contact {cid} was reported committed but is gone"
            assert c.display_name == name
        # The search index followed every committed row.
        assert len(crm.contacts.search("brien", limit=100_000)) == len(crm.contacts)
    assert sqlite_pragma(db, "integrity_check") == "ok"


# -- two processes at once ------------------------------------------------------------------------

ADDER = textwrap.dedent('''
    import sys
    import netcrm

    path, who = sys.argv[1], sys.argv[2]
    with netcrm.open(path, busy_timeout=30) as crm:
        print("ready", flush=True)
        assert sys.stdin.readline().strip() == "go"
        for i in range(200):
            crm.contacts.add(netcrm.Contact(f"{who} {i}", tags=[who]))
    print("done", flush=True)
''')


def test_two_processes_adding_at_once_both_succeed(tmp_path: Path) -> None:
    script = tmp_path / "adder.py"
    script.write_text(ADDER)
    db = tmp_path / "shared.db"
    with netcrm.open(db):
        pass  # create the file first, so neither child races the other to the schema
    procs = [subprocess.Popen(python_command(script, str(db), who), env=child_env(), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("alpha", "beta")]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert out.strip() == "done"
    with netcrm.open(db) as crm:
        assert len(crm.contacts) == 400
        assert crm.contacts.count(tag="alpha") == 200
        assert crm.contacts.count(tag="beta") == 200
        assert crm.integrity_check() == "ok"


def test_a_second_connection_in_the_same_process_sees_commits(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with netcrm.open(db) as writer, netcrm.open(db) as reader:
        c = writer.contacts.add(netcrm.Contact("Ada"))
        assert reader.contacts.get(c) == c


# -- hostile input --------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[netcrm.CRM, list[netcrm.Contact]]]:
    with netcrm.open(tmp_path / "hostile.db") as crm:
        before = [crm.contacts.add(netcrm.Contact(f"Before {i}", emails=[f"b{i}@example.com"], tags=["before"],
                                                  notes=[f"previous note {i}"])) for i in range(5)]
        yield crm, before


def assert_intact(crm: netcrm.CRM, before: list[netcrm.Contact]) -> None:
    assert crm.integrity_check() == "ok"
    for c in before:
        assert crm.contacts.get(c) == c
    assert crm.contacts.count(tag="before") == len(before)
    assert sqlite_pragma(Path(crm.path), "integrity_check") == "ok"


HOSTILE_TEXT = [
    "Robert'); DROP TABLE contacts;--",
    "'; DELETE FROM contact_tags; --",
    '"',
    "'",
    '"quoted" name',
    "%",
    "_",
    "%_%",
    "\\",
    "back\\slash\\'s",
    "\\x00 is not a NUL",
    "NEAR(a b)",
    "*",
    "Zoë 🦄 👩‍👩‍👧 emoji",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil RTL override",
    "tab\tand\nnewline inside",
    "x" * 100_000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=lambda t: repr(t[:24]))
def test_hostile_text_in_every_field_is_stored_exactly(
        store: tuple[netcrm.CRM, list[netcrm.Contact]], text: str) -> None:
    crm, before = store
    c = crm.contacts.add(netcrm.Contact(text, organization=text, title=text, tags=[text], how_met=text, source=text,
                                        emails=[(text, text)], urls=[(text, "")],
                                        addresses=[netcrm.Address(street=text)], notes=[text],
                                        name=netcrm.Name(given=text)))
    got = crm.contacts.get(c)
    assert got == c
    for value in (got.display_name, got.organization, got.title, got.tags[0], got.how_met, got.source,
                  got.emails[0].value, got.emails[0].kind, got.urls[0].value, got.addresses[0].street,
                  got.notes[0].text, got.name.given):
        assert value == text
    assert crm.contacts.list(tag=text) == [got]
    assert crm.contacts.list(organization=text) == [got]
    assert isinstance(crm.contacts.search(text), list)
    assert_intact(crm, before)


def test_a_name_with_sql_is_found_by_search_and_drops_nothing(store: tuple[netcrm.CRM, list[netcrm.Contact]]) -> None:
    crm, before = store
    c = crm.contacts.add(netcrm.Contact("Robert'); DROP TABLE contacts;--"))
    assert [x.id for x in crm.contacts.search("Robert'); DROP TABLE")] == [c.id]
    assert len(crm.contacts) == len(before) + 1
    assert_intact(crm, before)


@pytest.mark.parametrize("field", ["display_name", "organization", "tags", "emails", "notes", "how_met"])
@pytest.mark.parametrize("bad", ["a\x00b", "\x00", "\udcff", "ok\ud800"], ids=["NUL inside", "NUL", "lone low surrogate", "lone high surrogate"])
def test_nul_and_lone_surrogates_are_rejected_with_invalid_input(
        store: tuple[netcrm.CRM, list[netcrm.Contact]], field: str, bad: str) -> None:
    crm, before = store
    value: object = [bad] if field in ("tags", "emails", "notes") else bad
    fields = {"display_name": "Valid Name", field: value}
    with pytest.raises(netcrm.InvalidInput) as info:
        crm.contacts.add(**fields)
    assert not isinstance(info.value, UnicodeError)
    assert len(crm.contacts) == len(before)
    assert_intact(crm, before)


@pytest.mark.parametrize("bad", ["a\x00b", "\udcff"], ids=["NUL", "lone surrogate"])
def test_nul_and_lone_surrogates_are_rejected_by_update_add_note_and_search(
        store: tuple[netcrm.CRM, list[netcrm.Contact]], bad: str) -> None:
    crm, before = store
    with pytest.raises(netcrm.InvalidInput):
        crm.contacts.update(before[0], title=bad)
    with pytest.raises(netcrm.InvalidInput):
        crm.contacts.add_note(before[0], bad)
    with pytest.raises(netcrm.InvalidInput):
        crm.contacts.search(bad)
    assert_intact(crm, before)


@pytest.mark.parametrize("use", [
    lambda crm: crm.contacts.list(tag="\udcff"),
    lambda crm: crm.contacts.list(organization="\udcff"),
    lambda crm: crm.contacts.count(tag="\udcff"),
    lambda crm: crm.contacts.count(organization="\udcff"),
], ids=["list tag", "list organization", "count tag", "count organization"])
def test_a_lone_surrogate_in_a_filter_raises_invalid_input(
        store: tuple[netcrm.CRM, list[netcrm.Contact]], use: Callable[[netcrm.CRM], object]) -> None:
    crm, before = store
    with pytest.raises(netcrm.InvalidInput):
        use(crm)
    assert_intact(crm, before)


def test_a_nul_in_a_filter_matches_nothing_or_raises_invalid_input(
        store: tuple[netcrm.CRM, list[netcrm.Contact]]) -> None:
    crm, before = store
    crm.contacts.add(netcrm.Contact("Nul", organization="nul", tags=["nul"]))
    for kwargs in ({"tag": "nul\x00x"}, {"organization": "nul\x00x"}):
        try:
            assert crm.contacts.list(**kwargs) == []
            assert crm.contacts.count(**kwargs) == 0
        except netcrm.InvalidInput:
            pass
    assert_intact(crm, before)


def test_a_one_megabyte_note_is_stored_exactly(store: tuple[netcrm.CRM, list[netcrm.Contact]]) -> None:
    crm, before = store
    rng = random.Random(7)
    alphabet = "abcdefghij ÉéèßŁż漢字😀\n\t'\"%_\\;"
    note = "".join(rng.choice(alphabet) for _ in range(1_000_000))
    assert len(note.encode("utf-8")) > 1_000_000
    assert note[0] == " "  # the blanks at its ends go when stored (README "Contacts"); all else stays
    c = crm.contacts.add(netcrm.Contact("Big Note", notes=[note]))
    assert crm.contacts.get(c).notes[0].text == note.strip(" \n\t")
    after = crm.contacts.add_note(c, note[::-1])
    assert after.notes[1].text == note[::-1].strip(" \n\t")
    assert_intact(crm, before)


def test_ten_thousand_tags_are_stored_exactly_in_order(store: tuple[netcrm.CRM, list[netcrm.Contact]]) -> None:
    crm, before = store
    rng = random.Random(10_000)
    tags = [f"tag-{i:05d}" for i in range(10_000)]
    rng.shuffle(tags)
    c = crm.contacts.add(netcrm.Contact("Tagged", tags=tags))
    assert crm.contacts.get(c).tags == tags
    assert [x.id for x in crm.contacts.list(tag=tags[-1])] == [c.id]
    assert crm.contacts.tags()[tags[1234]] == 1
    assert_intact(crm, before)


FTS_SYNTAX = ["NEAR(", "NEAR(a b, 2)", "*", "a*", "*a", '"', '""', 'a"b', '"unterminated', "AND OR NOT",
              "AND", "OR", "NOT", "-x", "- x", "^", "^before", "+", "(", ")", "()", "{a b}:c", "names:before",
              "before:", ":", "a:b:c", "'", "''", "\\", "\\\"", "NEAR/2", "a NEAR b", "[", "]", "#", ";", "--",
              "/* c */", "\x01", "\u2028", "🦄", "\ufeff", " ", "\t\n"]


@pytest.mark.parametrize("query", FTS_SYNTAX, ids=repr)
def test_search_with_fts_syntax_never_raises(store: tuple[netcrm.CRM, list[netcrm.Contact]], query: str) -> None:
    crm, before = store
    result = crm.contacts.search(query)
    assert isinstance(result, list)
    assert_intact(crm, before)


def test_fts_operators_are_searched_as_words(store: tuple[netcrm.CRM, list[netcrm.Contact]]) -> None:
    crm, before = store
    c = crm.contacts.add(netcrm.Contact("Near Andor", organization="Or Not Inc"))
    assert [x.id for x in crm.contacts.search("NEAR")] == [c.id]
    assert [x.id for x in crm.contacts.search("or not")] == [c.id]
    assert [x.id for x in crm.contacts.search("^before 1")] == [before[1].id]


def test_child_processes_import_the_netcrm_under_test() -> None:
    out = subprocess.run([sys.executable, "-c", "import netcrm, sys; print(netcrm.__file__)"], env=child_env(),
                         capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    assert Path(out).resolve() == Path(netcrm.__file__).resolve()
