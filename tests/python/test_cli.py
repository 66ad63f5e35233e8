"""The command line, driven as a user drives it: ``python -m netcrm ...`` in a child process against a
temporary database, reading stdout, stderr and the exit code. A few cases that need a fake terminal
or a failure injected run ``netcrm.cli.main`` in-process.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import netcrm
import netcrm.__main__
from netcrm import cli
from helpers import child_env

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PARIS = ZoneInfo("Europe/Paris")


def netcrm_run(db: Path | None, *args: str, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "netcrm"] + (["--db", str(db)] if db is not None else []) + list(args)
    return subprocess.run(argv, env=env or child_env(), capture_output=True, text=True, timeout=60,
                          cwd=cwd or (db.parent if db is not None else None))


def ok(db: Path | None, *args: str, **kw: Any) -> str:
    r = netcrm_run(db, *args, **kw)
    assert r.returncode == 0, f"netcrm {' '.join(args)} exited {r.returncode}: {r.stderr}"
    return r.stdout


def as_json(db: Path, *args: str) -> Any:
    return json.loads(ok(db, "--json", *args))


def as_json_env(env: dict[str, str], *args: str) -> Any:
    return json.loads(ok(None, "--json", *args, env=env))


def assert_one_line_error(r: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    if code == cli.EXIT_ERROR:
        assert len(lines) == 1, r.stderr
    assert lines[-1].startswith("netcrm"), r.stderr
    assert ": error: " in lines[-1]
    for f in fragments:
        assert f in lines[-1], (f, lines[-1])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty database whose time zone is Europe/Paris (``netcrm config`` has its own test)."""
    path = tmp_path / "cli.db"
    with netcrm.open(path) as crm:
        crm.time_zone = "Europe/Paris"
    return path


def paris_today() -> dt.date:
    return dt.datetime.now(PARIS).date()


# ---- help, version, entry points ----------------------------------------------------------------------

COMMANDS = [
    ["import"], ["batches"], ["undo"], ["contacts", "list"], ["contacts", "search"], ["contacts", "show"],
    ["contacts", "add"], ["contacts", "merge"], ["events", "list"], ["events", "show"], ["events", "add"],
    ["goals", "list"], ["goals", "report"], ["follow-ups", "due"], ["follow-ups", "list"], ["follow-ups", "add"],
    ["follow-ups", "done"], ["follow-ups", "snooze"], ["favors", "list"], ["favors", "balance"], ["digest"],
    ["export"], ["config"],
]


def test_help_lists_every_command_and_the_exit_codes() -> None:
    r = netcrm_run(None, "--help")
    assert r.returncode == 0 and r.stderr == ""
    for name in {c[0] for c in COMMANDS}:
        assert re.search(rf"^\s+{re.escape(name)}\b", r.stdout, re.M), name
    codes = r.stdout[r.stdout.index("exit codes:"):]
    for code in ("0", "1", "2", "130"):
        assert re.search(rf"^\s+{code}\s+\w", codes, re.M), code


@pytest.mark.parametrize("command", COMMANDS, ids=["-".join(c) for c in COMMANDS])
def test_every_command_has_help_with_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*command, "--help"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"usage: netcrm {' '.join(command)}")
    example = re.search(r"^examples?:\n  netcrm (\S+)", out, re.M)
    assert example, out
    assert example.group(1) == command[0]


def test_a_noun_without_a_verb_shows_its_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["follow-ups"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    for verb in ("due", "done", "snooze"):
        assert verb in err


def test_version() -> None:
    assert ok(None, "--version").strip() == f"netcrm {netcrm.__version__} (database schema {netcrm.SCHEMA_VERSION})"


def test_the_console_script_runs_netcrm_main() -> None:
    setup = (ROOT / "setup.py").read_text()
    assert '"netcrm = netcrm.__main__:main"' in setup
    assert netcrm.__main__.main is cli.main


# ---- import, batches, undo -----------------------------------------------------------------------------

def test_import_a_vcard_and_a_linkedin_export_prints_each_report(db: Path) -> None:
    out = ok(db, "import", str(DATA / "vcard" / "ios-17.vcf"), str(DATA / "csv" / "linkedin_connections.csv"),
             "--tag", "met-at-meetup", "--tag", "2026")
    lines = [line for line in out.splitlines() if line.startswith("Import ")]
    assert len(lines) == 2
    assert lines[0].endswith("ios-17.vcf (vcard): 3 read, 2 added, 0 merged, 1 skipped, 0 rejected")
    assert lines[1].endswith("linkedin_connections.csv (csv): 3 read, 3 added, 0 merged, 0 skipped, 0 rejected")
    tagged = as_json(db, "contacts", "list", "--tag", "met-at-meetup")
    assert len(tagged) == 5
    assert all(set(c["tags"]) >= {"met-at-meetup", "2026"} for c in tagged)
    assert "Arjun Mehta" in {c["display_name"] for c in tagged}  # from the LinkedIn CSV


def test_import_a_folder_takes_its_card_files_and_reports_in_json(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    (folder / "more").mkdir(parents=True)
    shutil.copy(DATA / "vcard" / "google.vcf", folder / "google.vcf")
    shutil.copy(DATA / "csv" / "linkedin_connections.csv", folder / "more" / "Connections.CSV")
    (folder / "notes.txt").write_text("not a card\n")
    reports = as_json(db, "import", str(folder), "--on-duplicate", "skip")
    assert [Path(r["source"]).name for r in reports] == ["google.vcf", "Connections.CSV"]
    assert [(r["format"], r["added"]) for r in reports] == [("vcard", 1), ("csv", 3)]
    again = as_json(db, "import", str(folder), "--on-duplicate", "skip")
    assert [r["added"] for r in again] == [0, 0]
    assert sum(r["skipped"] for r in again) == 4


def test_import_lists_rejected_records_with_their_lines_and_still_imports_the_rest(db: Path) -> None:
    [report] = as_json(db, "import", str(DATA / "vcard" / "broken.vcf"))
    assert report["added"] >= 1
    assert report["rejected"] and all(r["line"] >= 1 and r["reason"] for r in report["rejected"])
    text = ok(db, "import", str(DATA / "vcard" / "broken.vcf"))
    assert "rejected:" in text and "broken.vcf:9:1:" in text


def test_import_into_an_event_records_whom_you_met(db: Path) -> None:
    ok(db, "events", "add", "Paris.rb", "--starts", "2026-03-26T19:00", "--kind", "meetup")
    ok(db, "import", str(DATA / "csv" / "linkedin_connections.csv"), "--event", "1")
    shown = as_json(db, "events", "show", "1")
    assert len(shown["attendees"]) == 3 and all(a["first_meeting"] for a in shown["attendees"])
    r = netcrm_run(db, "import", str(DATA / "vcard" / "google.vcf"), "--event", "99")
    assert_one_line_error(r, cli.EXIT_ERROR, "99")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_and_none_otherwise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.db"
    card = str(DATA / "vcard" / "ios-17.vcf")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["--db", str(path), "import", card]) == cli.EXIT_OK
    drawn = terminal.getvalue()
    assert "\r" in drawn and "100%" in drawn and "ios-17.vcf [" in drawn
    assert drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""  # the bar's line is cleared at the end
    assert "3 read, 2 added" in capsys.readouterr().out  # the report goes to stdout

    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert cli.main(["--db", str(path), "import", "--no-progress", card]) == cli.EXIT_OK
    assert quiet.getvalue() == ""
    monkeypatch.undo()
    piped = netcrm_run(path, "import", card)  # stderr is a pipe: no bar
    assert piped.returncode == 0 and piped.stderr == ""


def test_batches_and_undo(db: Path) -> None:
    ok(db, "import", str(DATA / "csv" / "linkedin_connections.csv"))
    [batch] = as_json(db, "batches")
    assert batch["id"] == 1 and batch["added"] == 3 and batch["undone_at"] is None
    assert "linkedin_connections.csv" in ok(db, "batches")
    out = ok(db, "undo", "1")
    assert out.startswith("Undid import #1") and "3 added contacts deleted" in out
    assert as_json(db, "contacts", "list") == []
    [batch] = as_json(db, "batches")
    assert dt.datetime.fromisoformat(batch["undone_at"]).utcoffset() is not None
    assert_one_line_error(netcrm_run(db, "undo", "1"), cli.EXIT_ERROR, "already undone")
    assert_one_line_error(netcrm_run(db, "undo", "7"), cli.EXIT_ERROR, "7")


# ---- contacts ------------------------------------------------------------------------------------------

def test_contacts_add_list_search_show_and_merge(db: Path) -> None:
    out = ok(db, "contacts", "add", "Hélène Lefèvre", "--email", "helene@atelier.example", "--org",
             "Atelier Lefèvre", "--tag", "potential-client", "--note", "Wants her booking site rebuilt")
    assert out.strip() == "Added contact #1 Hélène Lefèvre"
    second = as_json(db, "contacts", "add", "Helene L.", "--phone", "+33 6 12 34 56 78", "--tag", "paris")
    assert second["id"] == 2 and second["phones"][0]["value"]
    listed = as_json(db, "contacts", "list")
    assert [c["display_name"] for c in listed] == ["Helene L.", "Hélène Lefèvre"]
    assert ok(db, "contacts", "list", "--tag", "paris").split() == ["#2", "Helene", "L.", "paris"]
    found = as_json(db, "contacts", "search", "helene")  # accents and case ignored
    assert {c["id"] for c in found} == {1, 2}
    assert as_json(db, "contacts", "search", "booking", "site")[0]["id"] == 1
    assert ok(db, "contacts", "search", "nobody").strip() == "No contact matches."
    shown = ok(db, "contacts", "show", "1")
    assert shown.startswith("Hélène Lefèvre (#1)\n")
    assert "email: helene@atelier.example" in shown and "tags: potential-client" in shown
    note = [line for line in shown.splitlines() if "Wants her booking site" in line][0]
    assert re.search(r"\[\d{4}-\d\d-\d\d \d\d:\d\d CES?T\]", note), note  # the store's clock, with its zone
    merged = as_json(db, "contacts", "merge", "1", "2")
    assert merged["id"] == 1 and set(merged["tags"]) == {"potential-client", "paris"}
    assert [c["id"] for c in as_json(db, "contacts", "list")] == [1]
    assert_one_line_error(netcrm_run(db, "contacts", "show", "2"), cli.EXIT_ERROR, "no contact with id 2")
    assert_one_line_error(netcrm_run(db, "contacts", "merge", "1", "1"), cli.EXIT_ERROR, "itself")
    assert_one_line_error(netcrm_run(db, "contacts", "add", ""), cli.EXIT_ERROR)


# ---- events and goals ----------------------------------------------------------------------------------

def test_events_add_list_and_show_on_their_clock(db: Path) -> None:
    local = as_json(db, "events", "add", "Paris.rb", "--kind", "meetup", "--starts", "2026-03-26T19:00",
                    "--tag", "ruby", "--location", "Le Wagon")
    assert local["starts"] == "2026-03-26T18:00:00+00:00" and local["time_zone"] == "Europe/Paris"
    assert local["local_starts"] == "2026-03-26T19:00:00+01:00"
    summer = as_json(db, "events", "add", "Summer", "--starts", "2026-07-01T19:00")
    assert summer["local_starts"] == "2026-07-01T19:00:00+02:00"  # the store's zone across the DST change
    tokyo = as_json(db, "events", "add", "Tokyo dinner", "--starts", "2026-04-02T20:00", "--zone", "Asia/Tokyo")
    assert tokyo["local_starts"] == "2026-04-02T20:00:00+09:00" and tokyo["time_zone"] == "Asia/Tokyo"
    offset = as_json(db, "events", "add", "Call", "--starts", "2026-04-03T20:00+05:30",
                     "--ends", "2026-04-03T21:00+05:30")
    assert dt.datetime.fromisoformat(offset["starts"]) == dt.datetime(2026, 4, 3, 14, 30, tzinfo=dt.timezone.utc)
    text = ok(db, "events", "list")
    assert re.search(r"^#1\s+2026-03-26 19:00 CET\s+Paris\.rb\s+meetup\s+Le Wagon$", text, re.M), text
    assert re.search(r"^#3\s+2026-04-02 20:00 JST\s+Tokyo dinner", text, re.M), text
    april = as_json(db, "events", "list", "--from", "2026-04-01", "--to", "2026-05-01")
    assert [e["name"] for e in april] == ["Tokyo dinner", "Call"]
    assert [e["name"] for e in as_json(db, "events", "list", "--kind", "meetup")] == ["Paris.rb"]
    shown = ok(db, "events", "show", "1")
    assert shown.startswith("Paris.rb (meetup) #1\n  2026-03-26 19:00 CET (Europe/Paris)")
    assert_one_line_error(netcrm_run(db, "events", "show", "9"), cli.EXIT_ERROR, "9")
    assert_one_line_error(netcrm_run(db, "events", "add", "X", "--starts", "2026-03-01T10:00", "--zone", "Mars/Base"),
                          cli.EXIT_ERROR, "Mars/Base")
    assert_one_line_error(netcrm_run(db, "events", "add", "X", "--starts", "26/03/2026"), cli.EXIT_USAGE,
                          "ISO 8601")
    assert_one_line_error(netcrm_run(db, "events", "add", "X"), cli.EXIT_USAGE, "--starts")


def test_goals_list_and_report(db: Path) -> None:
    ok(db, "events", "add", "Paris.rb", "--starts", "2026-03-26T19:00")
    with netcrm.open(db) as crm:
        ada, bob = (crm.contacts.add(display_name=n) for n in ("Ada", "Bob"))
        crm.events.met(1, ada)
        crm.events.met(1, bob)
        crm.goals.add("Cards", metric="contacts_met", at_least=2, event=1)
        crm.goals.add("Budget", metric="spend", at_most="80", currency="EUR", event=1)
        crm.goals.add("New people", metric="new_contacts", at_least=60, period="2026")
    goals = as_json(db, "goals", "list")
    assert [(g["id"], g["name"]) for g in goals] == [(1, "Cards"), (2, "Budget"), (3, "New people")]
    assert [g["name"] for g in as_json(db, "goals", "list", "--plan")] == ["New people"]
    assert "contacts_met >= 2" in ok(db, "goals", "list", "--event", "1")
    report = ok(db, "goals", "report", "--event", "1")
    assert report.startswith("Paris.rb (2026-03-26): 2 of 2 goals met")
    assert "Cards: 2 / 2 contacts (100%), met" in report
    plan = as_json(db, "goals", "report", "--period", "2026")
    assert plan["period"]["first"] == "2026-01-01" and [g["goal"]["name"] for g in plan["goals"]] == ["New people"]
    assert "Paris.rb" in ok(db, "events", "show", "1")  # the event page carries its goals
    assert "2 of 2 goals met" in ok(db, "events", "show", "1")
    assert_one_line_error(netcrm_run(db, "goals", "report", "--event", "1", "--period", "2026"), cli.EXIT_USAGE,
                          "not allowed with")
    assert_one_line_error(netcrm_run(db, "goals", "report", "--period", "someday"), cli.EXIT_ERROR, "someday")


# ---- follow-ups ----------------------------------------------------------------------------------------

def test_follow_ups_due_done_and_snooze(db: Path) -> None:
    ok(db, "contacts", "add", "Ada Lovelace")
    yesterday = paris_today() - dt.timedelta(days=1)
    late = as_json(db, "follow-ups", "add", "1", "Send the deck", "--due", yesterday.isoformat())
    nine = dt.datetime(yesterday.year, yesterday.month, yesterday.day, 9, tzinfo=PARIS)
    assert late["due"] == nine.astimezone(dt.timezone.utc).isoformat() and late["local_due"] == nine.isoformat()
    ok(db, "follow-ups", "add", "1", "Coffee", "--in-days", "3")
    text = ok(db, "follow-ups", "due")
    assert text.startswith("Due (1):\n")
    assert re.search(r"^  #1\s+\d{4}-\d\d-\d\d 09:00 CES?T\s+overdue \d+ (h|day)\S*\s+Ada Lovelace: Send the deck$",
                     text, re.M), text
    assert "Coffee" not in text
    both = as_json(db, "follow-ups", "due", "--days", "7")
    assert [d["follow_up"]["reason"] for d in both["due"]] == ["Send the deck"]
    assert both["due"][0]["overdue"] is True and both["due"][0]["contact_name"] == "Ada Lovelace"
    assert [d["follow_up"]["reason"] for d in both["upcoming"]] == ["Coffee"]
    assert "Coming up in 7 days (1):" in ok(db, "follow-ups", "due", "--days", "7")

    snoozed = as_json(db, "follow-ups", "snooze", "1", "--days", "2")
    assert dt.datetime.fromisoformat(snoozed["due"]) > dt.datetime.now(dt.timezone.utc)
    assert as_json(db, "follow-ups", "due")["due"] == []
    until = paris_today() + dt.timedelta(days=10)
    moved = as_json(db, "follow-ups", "snooze", "2", "--until", until.isoformat(), "--note", "busy week")
    assert moved["local_due"] == dt.datetime(until.year, until.month, until.day, 9, tzinfo=PARIS).isoformat()
    at = as_json(db, "follow-ups", "snooze", "2", "--until", f"{until.isoformat()}T14:30")
    assert at["local_due"] == dt.datetime(until.year, until.month, until.day, 14, 30, tzinfo=PARIS).isoformat()

    done = ok(db, "follow-ups", "done", "2", "--note", "over coffee")
    assert done.startswith("Done: #2 Ada Lovelace: Coffee") and done.rstrip().endswith("(done)")
    assert [f["id"] for f in as_json(db, "follow-ups", "list")] == [1]
    assert [f["status"] for f in as_json(db, "follow-ups", "list", "--status", "all")] == ["open", "done"]
    assert_one_line_error(netcrm_run(db, "follow-ups", "done", "2"), cli.EXIT_ERROR, "is done")
    assert_one_line_error(netcrm_run(db, "follow-ups", "done", "42"), cli.EXIT_ERROR, "42")
    assert_one_line_error(netcrm_run(db, "follow-ups", "snooze", "1"), cli.EXIT_USAGE, "--until")
    assert_one_line_error(netcrm_run(db, "follow-ups", "snooze", "1", "--until", "tomorrow"), cli.EXIT_USAGE,
                          "tomorrow")
    assert_one_line_error(netcrm_run(db, "follow-ups", "add", "9", "Hi", "--in-days", "1"), cli.EXIT_ERROR)


# ---- favours -------------------------------------------------------------------------------------------

def test_favors_list_and_balance(db: Path) -> None:
    with netcrm.open(db) as crm:
        ada, grace = (crm.contacts.add(display_name=n) for n in ("Ada", "Grace"))
        crm.favors.give(ada, "guest post", weight=2, note="wrote for her blog", on=dt.date(2026, 2, 3))
        crm.favors.receive(grace, "referral", weight=3, on=dt.date(2026, 2, 10))
    favors = as_json(db, "favors", "list")
    assert [(f["direction"], f["kind"], f["weight"]) for f in favors] == [("given", "guest_post", 2.0),
                                                                         ("received", "referral", 3.0)]
    text = ok(db, "favours", "list", "--direction", "received")
    assert "referral received" in text and "from Grace" in text and "Ada" not in text
    balance = ok(db, "favors", "balance").splitlines()
    assert balance[0].startswith("you owe Grace (#2) 3") and balance[1].startswith("Ada (#1) owes you 2")
    assert as_json(db, "favors", "balance", "2")["balance"] == -3
    assert [b["contact"] for b in as_json(db, "favors", "balance")] == [2, 1]
    assert_one_line_error(netcrm_run(db, "favors", "balance", "9"), cli.EXIT_ERROR, "9")


# ---- digest --------------------------------------------------------------------------------------------

def test_digest_as_text_and_json(db: Path) -> None:
    empty = ok(db, "digest")
    assert empty.startswith(f"netcrm digest for {paris_today().isoformat()} (Europe/Paris)")
    ok(db, "contacts", "add", "Bob Martin")
    due_day = paris_today() - dt.timedelta(days=3)
    ok(db, "follow-ups", "add", "1", "Send the deck", "--due", due_day.isoformat())
    text = ok(db, "digest")
    # Lateness counts whole days since the due instant (09:00 on that day in Paris): before 09:00
    # today it is two days and some hours, from 09:00 on three.
    due_at = dt.datetime.combine(due_day, dt.time(9), tzinfo=ZoneInfo("Europe/Paris"))
    late = (dt.datetime.now(dt.timezone.utc) - due_at).days
    assert "Due (1):" in text and f"Bob Martin: Send the deck ({late} days late)" in text
    for argv in (["digest", "--json"], ["--json", "digest"]):
        d = json.loads(ok(db, *argv))
        assert d["time_zone"] == "Europe/Paris" and d["today"] == paris_today().isoformat()
        assert [(f["contact"]["name"], f["reason"], f["overdue"]) for f in d["due"]] == [
            ("Bob Martin", "Send the deck", True)]


# ---- export --------------------------------------------------------------------------------------------

def test_export_round_trip_through_every_format(db: Path, tmp_path: Path) -> None:
    ok(db, "import", str(DATA / "vcard" / "ios-17.vcf"), str(DATA / "csv" / "linkedin_connections.csv"))
    ok(db, "contacts", "add", "Ada Lovelace", "--email", "ada@example.com", "--tag", "vip")
    ok(db, "follow-ups", "add", "1", "Call back", "--in-days", "2")
    names = sorted(c["display_name"] for c in as_json(db, "contacts", "list"))
    assert len(names) == 6

    for suffix in ("vcf", "csv"):
        out = tmp_path / f"contacts.{suffix}"
        assert ok(db, "export", str(out)).strip() == f"Exported {'vcard' if suffix == 'vcf' else 'csv'} to {out}"
        other = tmp_path / f"from-{suffix}.db"
        [report] = as_json(other, "import", str(out))
        assert report["added"] == 6 and report["rejected"] == []
        assert sorted(c["display_name"] for c in as_json(other, "contacts", "list")) == names

    backup = tmp_path / "backup.json"
    assert as_json(db, "export", str(backup))["format"] == "json"
    assert len(json.loads(backup.read_text())["contacts"]) == 6
    with netcrm.open(tmp_path / "restored.db") as crm:
        assert crm.restore(backup)["contacts"] == 6
    assert as_json(tmp_path / "restored.db", "contacts", "list") == as_json(db, "contacts", "list")

    ics = tmp_path / "follow-ups.ics"
    ok(db, "export", str(ics))
    assert ics.read_text().startswith("BEGIN:VCALENDAR") and "Call back" in ics.read_text()
    vip = ok(db, "export", "-", "--format", "vcard3", "--tag", "vip")
    assert vip.count("BEGIN:VCARD") == 1 and "VERSION:3.0" in vip and "Ada Lovelace" in vip
    assert_one_line_error(netcrm_run(db, "export", str(tmp_path / "x.txt")), cli.EXIT_USAGE, "--format")
    assert_one_line_error(netcrm_run(db, "export", "-"), cli.EXIT_USAGE, "--format")
    assert_one_line_error(netcrm_run(db, "export", str(tmp_path / "no" / "such" / "dir.vcf")), cli.EXIT_ERROR)


# ---- the database, options, errors -----------------------------------------------------------------------

def test_the_default_database_is_netcrm_db(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    env = child_env(NETCRM_DB=str(path))
    assert_one_line_error(netcrm_run(None, "contacts", "list", env=env), cli.EXIT_ERROR, "no netcrm database",
                          str(path))
    assert_one_line_error(netcrm_run(None, "config", env=env), cli.EXIT_ERROR, "no netcrm database")
    assert not path.exists()  # reading never creates a database
    ok(None, "contacts", "add", "Ada", env=env)
    assert path.exists()
    assert "Ada" in ok(None, "contacts", "list", env=env)
    assert as_json_env(env, "config")["database"] == str(path)


def test_global_options_work_before_and_after_the_command(db: Path) -> None:
    ok(db, "contacts", "add", "Ada")
    before = json.loads(ok(None, "--db", str(db), "--json", "contacts", "list"))
    after = json.loads(ok(None, "contacts", "list", "--json", "--db", str(db)))
    assert before == after and before[0]["display_name"] == "Ada"


def test_config_shows_and_sets_the_time_zone_and_region(tmp_path: Path) -> None:
    db = tmp_path / "config.db"
    assert ok(db, "config", "time-zone", "Europe/Paris").strip() == "time-zone = Europe/Paris"
    assert as_json(db, "config") == {"database": str(db), "time-zone": "Europe/Paris", "region": ""}
    assert ok(db, "config", "region", "FR").strip() == "region = FR"
    assert as_json(db, "config", "region") == {"region": "FR"}
    assert_one_line_error(netcrm_run(db, "config", "time-zone", "Mars/Base"), cli.EXIT_ERROR, "Mars/Base")
    assert_one_line_error(netcrm_run(db, "config", "colour", "red"), cli.EXIT_USAGE, "colour")


@pytest.mark.parametrize(("argv", "code", "fragment"), [
    (["contacts", "show", "999"], 1, "no contact with id 999"),
    (["events", "show", "999"], 1, "999"),
    (["import", "/nonexistent/cards.vcf"], 1, "/nonexistent/cards.vcf"),
    (["contacts", "show", "abc"], 2, "'abc' is not an id"),
    (["contacts", "list", "--limit", "-1"], 2, "-1"),
    (["contacts", "frobnicate"], 2, "frobnicate"),
    (["teleport"], 2, "teleport"),
    (["follow-ups", "due", "--days", "soon"], 2, "soon"),
], ids=lambda v: "-".join(v) if isinstance(v, list) else str(v))
def test_errors_are_one_line_with_a_meaningful_exit_code(db: Path, argv: list[str], code: int, fragment: str) -> None:
    assert_one_line_error(netcrm_run(db, *argv), code, fragment)


def test_a_file_that_is_not_a_database_is_refused_in_one_line(tmp_path: Path) -> None:
    card = tmp_path / "cards.vcf"
    shutil.copy(DATA / "vcard" / "google.vcf", card)
    assert_one_line_error(netcrm_run(card, "contacts", "list"), cli.EXIT_ERROR, "not a netcrm database")
    assert card.read_bytes() == (DATA / "vcard" / "google.vcf").read_bytes()


def test_debug_shows_the_traceback(db: Path) -> None:
    r = netcrm_run(db, "--debug", "contacts", "show", "999")
    assert r.returncode == cli.EXIT_ERROR
    assert r.stderr.startswith("Traceback (most recent call last):")
    assert "NotFound" in r.stderr
    assert r.stderr.splitlines()[-1] == "netcrm: error: no contact with id 999"
    r = netcrm_run(db, "contacts", "show", "999", "--debug")
    assert "Traceback" in r.stderr


def test_ctrl_c_exits_130_quietly(db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_contacts_list", interrupted)
    assert cli.main(["--db", str(db), "contacts", "list"]) == cli.EXIT_INTERRUPTED
    assert "Traceback" not in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_too(db: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(cli, "cmd_digest", broken)
    assert cli.main(["--db", str(db), "digest"]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == "netcrm: error: RuntimeError: something unexpected\n"
    assert cli.main(["--db", str(db), "--debug", "digest"]) == cli.EXIT_ERROR
    assert "Traceback" in capsys.readouterr().err


# ---- imports that stay bounded and stoppable (issue 11)

def vcard(fn: str, email: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nEMAIL;TYPE=work:{email}\r\nEND:VCARD\r\n"


def test_a_folder_import_names_a_bad_file_and_imports_the_others(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "a.vcf").write_text(vcard("Ada Lovelace", "ada@example.com"))
    (folder / "b.vcf").write_text("these are no cards\n")
    with open(os.fsencode(folder) + b"/caf\xe9.vcf", "w") as f:  # a name from a Latin-1 system
        f.write(vcard("Grace Hopper", "grace@example.com"))
    r = netcrm_run(db, "--json", "import", str(folder))
    assert r.returncode == cli.EXIT_ERROR, r.stderr
    errors = r.stderr.splitlines()
    assert len(errors) == 2, r.stderr
    assert errors[0].startswith("netcrm: error: ") and "b.vcf" in errors[0] and "not a format" in errors[0]
    assert errors[1] == "netcrm: error: 1 of 3 files could not be imported (see above); the others were"
    reports = json.loads(r.stdout)
    assert [Path(rep["source"]).name for rep in reports] == ["a.vcf", "caf\\xe9.vcf"]
    assert [c["display_name"] for c in as_json(db, "contacts", "list")] == ["Ada Lovelace", "Grace Hopper"]


def big_vcard_file(path: Path, cards: int = 100_000) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        for i in range(cards):
            out.write(vcard(f"Person {i}", f"p{i}@example.com"))
    return path


def reading(pid: int, path: Path) -> bool:
    """Whether process `pid` has read into `path` (its descriptor's offset, from /proc)."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    return any(line.startswith("pos:") and int(line.split()[1]) > 0 for line in info)
    except OSError:
        pass
    return False


@pytest.mark.parametrize("bar", [False, True], ids=["no-progress", "progress-bar"])
def test_ctrl_c_stops_an_import_and_rolls_it_back(db: Path, tmp_path: Path, bar: bool) -> None:
    ok(db, "contacts", "add", "Ada Lovelace")
    big = big_vcard_file(tmp_path / "big.vcf")
    argv = [sys.executable, "-m", "netcrm", "--db", str(db), "import", str(big)] + ([] if bar else ["--no-progress"])
    # A terminal on stderr for the bar (it is drawn only there), a pipe otherwise.
    master, slave = pty.openpty() if bar else (-1, -1)
    child = subprocess.Popen(argv, env=child_env(), stdout=subprocess.PIPE,
                             stderr=slave if bar else subprocess.PIPE)
    try:
        if bar:
            os.close(slave)
            drawn = b""
            while b"big.vcf [" not in drawn:
                drawn += os.read(master, 4096)
        else:
            deadline = time.monotonic() + 60
            while not reading(child.pid, big) and time.monotonic() < deadline:
                time.sleep(0.01)
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if bar:
            os.close(master)
    assert child.returncode == cli.EXIT_INTERRUPTED
    assert [c["display_name"] for c in as_json(db, "contacts", "list")] == ["Ada Lovelace"]
    assert as_json(db, "batches") == []


@pytest.mark.parametrize("argv", [
    ["contacts", "show", "99999999999999999999"],
    ["contacts", "show", "9223372036854775808"],
    ["contacts", "show", "1.5"],
    ["contacts", "show", "1e3"],
    ["contacts", "show", "١٢"],
    ["contacts", "list", "--limit", "99999999999999999999"],
    ["contacts", "list", "--limit", "-1"],
    ["contacts", "list", "--offset", "1_000"],
    ["contacts", "search", "ada", "--limit", "nan"],
    ["follow-ups", "due", "--days", "1000000000"],
    ["follow-ups", "due", "--days", "inf"],
    ["follow-ups", "snooze", "1", "--days", "99999999999"],
    ["follow-ups", "add", "1", "call", "--in-days", "99999999999999"],
    ["digest", "--cold-days", "10000000000000000000000"],
    ["digest", "--limit", "-5"],
    ["import", "x.vcf", "--event", "18446744073709551616"],
])
def test_a_malformed_or_out_of_range_number_is_a_usage_error(db: Path, argv: list[str],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", str(db), *argv]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("usage: "), err
    last = err.splitlines()[-1]
    assert ": error: " in last and "Traceback" not in err and "OverflowError" not in err
    assert "is too large" in last or "is not" in last or "expected a number >= 0" in last, last


@pytest.mark.parametrize("db_arg", ["", "   "])
def test_an_empty_db_path_is_refused_instead_of_meaning_the_default(
        tmp_path: Path, db_arg: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    default = tmp_path / "default.db"
    monkeypatch.setenv("NETCRM_DB", str(default))
    assert cli.main(["--db", db_arg, "contacts", "add", "Ada Lovelace"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "the database path is empty" in err.splitlines()[-1]
    assert not default.exists()
