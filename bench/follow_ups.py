"""Measures the follow-up queries (issue 5, "Speed") on 100,000 contacts and 1,000,000 follow-ups
(with 1,000,000 interactions, favours and goals for the digest), each against a straightforward
Python/SQLite evaluation of the same question over the same file, in one run:

  due now   crm.follow_ups.due(now=...)   vs  sqlite3: the open follow-ups due by now, sorted in Python
  digest    crm.digest(now=...)           vs  sqlite3 + Python: due, upcoming, people to thank, going cold

    scripts/bench follow-ups [--repeat N] [--check]

Both sides must find the same follow-ups and favours, or the benchmark fails. The database holds the
goals bench's goals (an event's and the year's), which the digest evaluates for "goals at risk": its
first call in a freshly opened store is timed on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import netcrm
from goals import busiest_event, define_goals
from network_data import AS_OF, ensure_database

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_DUE_MS = 5.0
TARGET_DIGEST_MS = 50.0
ZONE = "Europe/Paris"
UPCOMING_DAYS = 7
COLD_DAYS = 90
LIMIT = 20


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


# ---- the baseline ---------------------------------------------------------------------------------

def baseline_due(con: sqlite3.Connection) -> list[dict[str, Any]]:
    now = int(AS_OF.timestamp())
    rows = con.execute("SELECT id, contact_id, reason, due_at, time_zone, status FROM follow_ups"
                       " WHERE status = 'open' AND due_at <= ?", (now,)).fetchall()
    rows.sort(key=lambda r: (r[3], r[0]))
    return [{"id": r[0], "contact": r[1], "reason": r[2],
             "due": dt.datetime.fromtimestamp(r[3], dt.timezone.utc), "late": now - r[3]} for r in rows]


def baseline_digest(con: sqlite3.Connection) -> dict[str, Any]:
    now = int(AS_OF.timestamp())
    due = baseline_due(con)[:LIMIT]
    upcoming = con.execute("SELECT id, contact_id, reason, due_at FROM follow_ups WHERE status = 'open'"
                           " AND due_at > ? AND due_at <= ?", (now, now + UPCOMING_DAYS * 86400)).fetchall()
    upcoming = sorted(upcoming, key=lambda r: (r[3], r[0]))[:LIMIT]
    today = AS_OF.astimezone(netcrm_zone()).date()
    since = (today - dt.timedelta(days=30)).isoformat()
    received = con.execute("SELECT id, contact_id, on_date FROM favors WHERE direction = 'received'"
                           " AND status = 'done' AND on_date >= ? AND on_date <= ?",
                           (since, today.isoformat())).fetchall()
    thanked = {r[0] for r in con.execute("SELECT favor_id FROM follow_ups WHERE favor_id IS NOT NULL"
                                         " AND status = 'done'")}
    thank = sorted((r for r in received if r[0] not in thanked), key=lambda r: (r[2], r[0]), reverse=True)[:LIMIT]
    last: dict[int, int] = {}
    for contact, at in con.execute("SELECT contact_id, at FROM interaction_contacts"):
        if now >= at > last.get(contact, -1):  # as of now: later interactions do not count
            last[contact] = at
    cold = {c for c, at in last.items() if at < now - COLD_DAYS * 86400}
    cold |= {r[0] for r in con.execute("SELECT id FROM contacts")} - set(last)
    return {"due": [d["id"] for d in due], "upcoming": [r[0] for r in upcoming], "thank": [r[0] for r in thank],
            "cold": cold}


def netcrm_zone() -> dt.tzinfo:
    from zoneinfo import ZoneInfo
    return ZoneInfo(ZONE)


# ---- the run --------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    db = ensure_database(args.data)
    print(f"load average {os.getloadavg()[0]:.1f}; as of {AS_OF:%Y-%m-%d %H:%M} UTC")

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with netcrm.open(db) as crm:
        crm.time_zone = ZONE
        define_goals(crm, busiest_event(db))
    with netcrm.open(db) as crm:
        t = time.perf_counter()
        crm.digest(now=AS_OF)
        digest_cold_ms = (time.perf_counter() - t) * 1000
        due_ms, due = timed(lambda: crm.follow_ups.due(now=AS_OF), args.repeat)
        digest_ms, digest = timed(lambda: crm.digest(now=AS_OF), max(5, args.repeat // 3))
    base_due_ms, base_due = timed(lambda: baseline_due(con), args.repeat)
    base_digest_ms, base_digest = timed(lambda: baseline_digest(con), 3)

    problems = []
    if [d.follow_up.id for d in due] != [d["id"] for d in base_due]:
        problems.append(f"due now: netcrm lists {len(due)} follow-ups, the baseline {len(base_due)}")
    if [d.follow_up.id for d in digest.due] != base_digest["due"]:
        problems.append("digest: the due follow-ups differ")
    if [d.follow_up.id for d in digest.upcoming] != base_digest["upcoming"]:
        problems.append("digest: the upcoming follow-ups differ")
    if [f.id for f in digest.thank] != base_digest["thank"]:
        problems.append("digest: the favours to thank differ")
    if any(q.contact not in base_digest["cold"] for q in digest.going_cold):
        problems.append("digest: a contact listed as going cold was heard from recently")

    print(f"  due now: {len(due)} follow-ups; digest: {len(digest.due)} due, {len(digest.upcoming)} upcoming, "
          f"{len(digest.thank)} to thank, {len(digest.going_cold)} going cold, "
          f"{len(digest.goals_at_risk)} goals at risk")
    print(f"\n{'':<14}{'netcrm ms':>10}{'baseline ms':>13}{'ratio':>8}   target")
    for name, ours, theirs, target in (("due now", due_ms, base_due_ms, TARGET_DUE_MS),
                                       ("digest", digest_ms, base_digest_ms, TARGET_DIGEST_MS)):
        verdict = "met" if ours < target else "MISSED"
        print(f"{name:<14}{ours:>10.2f}{theirs:>13.1f}{theirs / ours:>7.1f}x   < {target:.0f} ms: {verdict}")
    print(f"{'digest, cold':<14}{digest_cold_ms:>10.2f}{'':>13}{'':>8}   (first call in a freshly opened store)")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    missed = due_ms >= TARGET_DUE_MS or digest_ms >= TARGET_DIGEST_MS
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
