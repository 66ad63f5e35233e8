"""The database of the goals and follow-up benchmarks: 100,000 contacts, 1,000 events, 1,000,000
interactions and 1,000,000 follow-ups over 2025-2027, plus favours and asks; the same rows for the
same arguments (one seeded generator).

    network_data.py OUT.db [--contacts N] [--events N] [--interactions N] [--follow-ups N]

netcrm creates the file and its schema; the rows are then written with the standard library's
sqlite3 in one transaction, because the benchmark measures reading (goal evaluation), and a million
single-row API calls would only make the fixture slow to build. netcrm's integrity check (foreign
keys included) must pass on the result, or this exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import netcrm

PARIS = ZoneInfo("Europe/Paris")
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2028, 1, 1, tzinfo=dt.timezone.utc)
SPAN = int((END - START).total_seconds())

# Tags a founder would use; a contact carries zero to three of them.
TAGS = [("potential-client", 0.10), ("saas", 0.15), ("investor", 0.04), ("designer", 0.06), ("friend", 0.05),
        ("press", 0.02)]
EVENT_KINDS = [("meetup", 0.6), ("conference", 0.15), ("dinner", 0.15), ("workshop", 0.1)]
INTERACTION_KINDS = [("conversation", 0.35), ("email", 0.2), ("message", 0.15), ("call", 0.1), ("coffee", 0.08),
                     ("meeting", 0.06), ("meal", 0.04), ("other", 0.02)]
EXPENSE_CATEGORIES = ["ticket", "travel", "meal", "lodging"]
FAVOR_KINDS = ["advice", "introduction", "referral", "guest_post", "cross_post", "resource", "loan", "other"]
REASONS = ["Follow up after the meetup", "Send the deck", "Thank for the intro", "Keep in touch",
           "Ask about the pilot", "Share the article we discussed"]
# Follow-ups are looked at as of this instant (the benchmarks' "now"): most of those due before it
# are done, a few hundred are still open (due and overdue), and a twentieth of all are still to come.
AS_OF = dt.datetime(2026, 9, 15, 12, 0, tzinfo=dt.timezone.utc)


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def unix(t: dt.datetime) -> int:
    return int(t.timestamp())


def build(path: str, contacts: int, events: int, interactions: int, follow_ups: int,
          seed: int = 20261127) -> None:
    rng = random.Random(seed)
    with netcrm.open(path) as crm:  # creates the schema
        crm.time_zone = "Europe/Paris"

    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("BEGIN")

    created = [unix(START) - 365 * 86400 + rng.randrange(SPAN + 365 * 86400) for _ in range(contacts)]
    db.executemany(
        "INSERT INTO contacts(id, display_name, name_given, name_family, organization, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((i + 1, f"Person {i + 1}", "Person", str(i + 1), f"Org {rng.randrange(5000)}", created[i], created[i])
         for i in range(contacts)))
    tag_rows = []
    for i in range(contacts):
        position = 0
        for tag, share in TAGS:
            if rng.random() < share:
                tag_rows.append((i + 1, position, tag))
                position += 1
    db.executemany("INSERT INTO contact_tags(contact_id, position, tag) VALUES (?, ?, ?)", tag_rows)

    # Events at 19:00 Paris time, three hours long, spread over the three years.
    event_rows, expense_rows, attendee_rows = [], [], []
    first_met: dict[int, int] = {}  # contact -> met_at of the attendance flagged as the first meeting
    starts = sorted(START + dt.timedelta(seconds=rng.randrange(SPAN)) for _ in range(events))
    for e, start_utc in enumerate(starts, start=1):
        local = start_utc.astimezone(PARIS).replace(hour=19, minute=0, second=0)
        begins = unix(local)
        event_rows.append((e, f"Event {e}", pick(rng, EVENT_KINDS), begins, begins + 3 * 3600, "Europe/Paris",
                           f"Venue {rng.randrange(200)}", begins - 86400 * 7, begins - 86400 * 7))
        for _ in range(rng.randint(1, 3)):
            currency = "EUR" if rng.random() < 0.85 else "USD"
            expense_rows.append((e, rng.randrange(0, 15000), currency, rng.choice(EXPENSE_CATEGORIES), ""))
        for c in rng.sample(range(1, contacts + 1), rng.randint(20, 120)):
            met_at = begins + rng.randrange(3 * 3600)
            first = 0
            if c not in first_met and rng.random() < 0.7:
                first, first_met[c] = 1, met_at
            attendee_rows.append((e, c, met_at, first, None))
    db.executemany("INSERT INTO events(id, name, kind, starts_at, ends_at, time_zone, location, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
    db.executemany("INSERT INTO event_expenses(event_id, amount, currency, category, note) VALUES (?, ?, ?, ?, ?)",
                   expense_rows)
    db.executemany("INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting, introduced_by)"
                   " VALUES (?, ?, ?, ?, ?)", attendee_rows)

    # The log: a fifth of it at events (during the event), the rest anywhere in the three years.
    interaction_rows, participant_rows = [], []
    for i in range(1, interactions + 1):
        if rng.random() < 0.2:
            e = rng.randrange(events)
            event = event_rows[e][0]
            at = event_rows[e][3] + rng.randrange(3 * 3600)
        else:
            event, at = None, unix(START) + rng.randrange(SPAN)
        interaction_rows.append((i, pick(rng, INTERACTION_KINDS), at, "Europe/Paris", event, "", at, at))
        n = 1 if rng.random() < 0.85 else (2 if rng.random() < 0.8 else 3)
        for c in rng.sample(range(1, contacts + 1), n):
            participant_rows.append((i, c, at))
        if len(interaction_rows) >= 100_000:
            flush(db, interaction_rows, participant_rows)
    flush(db, interaction_rows, participant_rows)

    as_of = unix(AS_OF)
    rows = []
    for i in range(1, follow_ups + 1):
        if rng.random() < 0.95:
            due = unix(START) + rng.randrange(as_of - unix(START))
            status = "open" if rng.random() < 0.0005 else ("done" if rng.random() < 0.9 else "cancelled")
        else:
            due, status = as_of + rng.randrange(unix(END) - as_of), "open"
        completed = due + rng.randrange(5 * 86400) if status == "done" else None
        rows.append((i, rng.randint(1, contacts), rng.choice(REASONS), due, "Europe/Paris", status, completed,
                     due - 7 * 86400, completed or due - 7 * 86400))
        if len(rows) >= 100_000 or i == follow_ups:
            db.executemany("INSERT INTO follow_ups(id, contact_id, reason, due_at, time_zone, status, completed_at,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows.clear()

    favors = []
    for i in range(1, contacts // 5 + 1):
        on = (START + dt.timedelta(seconds=rng.randrange(SPAN))).date().isoformat()
        favors.append((i, "given" if rng.random() < 0.6 else "received", rng.randint(1, contacts),
                       rng.choice(FAVOR_KINDS), rng.choice([0.5, 1, 1, 1, 2, 3]), on,
                       "done" if rng.random() < 0.85 else rng.choice(["offered", "declined"]), as_of, as_of))
    db.executemany("INSERT INTO favors(id, direction, contact_id, kind, weight, on_date, status, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", favors)
    asks = [(rng.randint(1, contacts), f"Looking for {rng.choice(['a designer', 'investors', 'a CTO', 'clients'])}",
             "open" if rng.random() < 0.3 else "met", unix(START) + rng.randrange(as_of - unix(START)))
            for _ in range(contacts // 20)]
    db.executemany("INSERT INTO asks(contact_id, text, status, created_at) VALUES (?, ?, ?, ?)", asks)
    db.execute("COMMIT")
    db.close()  # no ANALYZE: netcrm must be fast on the statistics a user's database has

    with netcrm.open(path) as crm:
        problems = crm.integrity_check()
    if problems != "ok":
        raise SystemExit(f"network_data.py: the generated database fails its integrity check:\n{problems}")


def flush(db: sqlite3.Connection, interaction_rows: list, participant_rows: list) -> None:
    db.executemany("INSERT INTO interactions(id, kind, at, time_zone, event_id, notes, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", interaction_rows)
    db.executemany("INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (?, ?, ?)",
                   participant_rows)
    interaction_rows.clear()
    participant_rows.clear()


def ensure_database(data: Path) -> Path:
    """data/network.db, generated in a child process when missing or made by an older version of
    this script."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    path = data / "network.db"
    stamp = data / "network.db.sha256"
    if path.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"generating the benchmark database into {path} (a minute or two) ...", flush=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, __file__, str(path)], check=True)
    stamp.write_text(digest + "\n")
    print(f"  {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=1_000)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--follow-ups", type=int, default=1_000_000)
    args = ap.parse_args()
    build(args.out, args.contacts, args.events, args.interactions, args.follow_ups)
    return 0


if __name__ == "__main__":
    sys.exit(main())
