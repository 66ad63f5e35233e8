"""How a typed program uses netcrm's public API. test_stubs.py checks this file with ``mypy --strict``
(so the package's annotations, py.typed and _core.pyi must describe that API) and also runs it (so
this file cannot drift from what the package really does). Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import netcrm

PARIS = ZoneInfo("Europe/Paris")


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def use(path: Path) -> list[str]:
    """Exercises the API and returns what it saw, one line per fact."""
    seen: list[str] = []
    with netcrm.open(path, clock=fixed_clock, busy_timeout=5.0) as crm:
        ada: netcrm.Contact = crm.contacts.add(netcrm.Contact(
            "Ada Lovelace",
            name=netcrm.Name(given="Ada", family="Lovelace"),
            emails=["ada@example.com", ("ada@work.example", "work"), netcrm.LabeledValue("a@x.example", "home")],
            addresses=[netcrm.Address(street="St James's Square", locality="London", country="UK")],
            birthday=netcrm.PartialDate(12, 10),
            tags=["math"],
            notes=[netcrm.Note("Met at the Royal Society", dt.datetime(2026, 1, 15, 9, 30, tzinfo=PARIS))],
        ))
        king = crm.contacts.add(display_name="Ada King", organization="Babbage & Co", birthday=dt.date(1815, 12, 10))
        ada = crm.contacts.add_note(ada, "Wants an intro to a hardware founder")
        ada = crm.contacts.update(ada, title="Analyst")

        for found in crm.contacts.search("ada", limit=10):
            seen.append(f"found {found.display_name}")
        first_hit: netcrm.Contact = crm.contacts.search("lovelace")[0]
        seen.append(f"first {first_hit.display_name}")

        merged: netcrm.Contact = crm.contacts.merge(ada, king)
        history: list[dict[str, Any]] = crm.contacts.merge_history(merged)
        seen.append(f"merged {history[0]['display_name']}")

        birthday = merged.birthday
        if isinstance(birthday, netcrm.PartialDate):
            seen.append(f"birthday {birthday.to_date(2027).isoformat()}")
        elif birthday is not None:
            seen.append(f"birthday {birthday.isoformat()}")
        leap: dt.date = netcrm.PartialDate.parse("--02-29").to_date(2027)
        seen.append(f"leap {leap.isoformat()}")

        created: dt.datetime | None = merged.created_at
        seen.append(f"created {created.isoformat() if created else None}")
        seen.append(f"count {len(crm.contacts)} {crm.contacts.count(tag='math')}")
        tags: dict[str, int] = crm.contacts.tags()
        seen.append(f"tags {sorted(tags)}")
        everyone: list[netcrm.Contact] = crm.contacts.list(limit=10)
        seen.append(f"listed {[c.id for c in everyone]}")
        maybe: netcrm.Contact | None = crm.contacts.find(10_000)
        seen.append(f"find {maybe}")
        seen.append(f"in {merged.id in crm.contacts}")

        try:
            crm.contacts.get(10_000)
        except netcrm.NotFound as e:
            missing: int = e.id
            kind: str = e.kind
            seen.append(f"not found {kind} {missing}")
    try:
        netcrm.PartialDate(2, 30)
    except netcrm.InvalidInput as e:
        seen.append(f"invalid {type(e).__name__}")
    try:
        netcrm.open(path.parent / "missing" / "x.db")
    except netcrm.IncompatibleDatabase as e:
        version: int | None = e.file_version
        seen.append(f"incompatible {version}")
    except netcrm.FileError as e:
        seen.append(f"file error {e.filename == str(path.parent / 'missing' / 'x.db')}")
    except netcrm.Error as e:
        seen.append(f"error {e}")
    return seen


def use_collections(path: Path) -> list[str]:
    """The newer collections (events, interactions, goals, follow-ups, favours), the digest and the
    to_pandas/plot signatures, each result held in the type the stubs promise."""
    seen: list[str] = []
    with netcrm.open(path, clock=fixed_clock) as crm:
        crm.time_zone = "Europe/Paris"
        ada = crm.contacts.add(display_name="Ada Lovelace", tags=["potential-client"])
        grace = crm.contacts.add(display_name="Grace Hopper")

        meetup: netcrm.Event = crm.events.add("Paris.rb", kind="meetup", tags=["ruby"],
                                              starts=dt.datetime(2026, 2, 26, 19, 0, tzinfo=PARIS))
        ticket: netcrm.Expense = crm.events.add_expense(meetup, Decimal("12.50"), "EUR", category="ticket")
        crm.events.add_expense(meetup, "3.80", "EUR", category="travel", note="metro")
        met: netcrm.Attendance = crm.events.met(meetup, ada, introduced_by=grace)
        first: netcrm.Attendance | None = crm.events.first_met(ada)
        spent: dict[str, Decimal] = crm.events.get(meetup).spent()
        events: list[netcrm.Event] = crm.events.list(kind="meetup", start=dt.date(2026, 2, 1))
        seen.append(f"event {meetup.name} {ticket.amount} {met.first_meeting} {first is not None} "
                    f"{spent['EUR']} {len(events)} {meetup in crm.events}")

        coffee: netcrm.Interaction = crm.interactions.log(
            "coffee", [ada, grace], at=dt.datetime(2026, 2, 27, 9, 0, tzinfo=PARIS), notes="needs a designer")
        last: netcrm.LastInteraction | None = crm.interactions.last(ada)
        quiet: list[netcrm.QuietContact] = crm.interactions.not_heard_from(30)
        seen.append(f"interaction {coffee.kind} {coffee.time_zone} {last is not None and last.interaction == coffee.id}"
                    f" {len(quiet)}")

        goal: netcrm.Goal = crm.goals.add("Cards", metric="contacts_met", at_least=1, event=meetup)
        budget = crm.goals.add("Budget", metric="spend", at_most="80", currency="EUR", event=meetup)
        plan = crm.goals.add("New people", metric="new_contacts", at_least=Decimal(60), period="2026")
        progress: netcrm.GoalProgress = crm.goals.progress(goal, as_of=fixed_clock())
        report: netcrm.GoalReport = crm.goals.report(event=meetup)
        samples: list[netcrm.ProgressSample] = crm.goals.history(plan, every="month")
        returns: netcrm.NetworkingReturn = crm.goals.returns(event=meetup)
        metrics: list[netcrm.MetricInfo] = crm.goals.metrics()
        seen.append(f"goals {progress.met} {report.met}/{len(report)} {budget.target} {len(samples)} "
                    f"{returns.spend['EUR']} {len(metrics) > 3}")

        fu: netcrm.FollowUp = crm.follow_ups.schedule(ada, "Send the deck", due=dt.date(2026, 3, 2))
        fu = crm.follow_ups.snooze(fu, by=dt.timedelta(days=1), note="busy")
        due: list[netcrm.DueFollowUp] = crm.follow_ups.due(now=dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc))
        rule: netcrm.Rule = crm.follow_ups.add_rule("cadence", every="2 weeks", tag="potential-client")
        warmth: netcrm.Warmth = crm.follow_ups.warmth(ada, now=fixed_clock())
        changes: list[netcrm.FollowUpChange] = crm.follow_ups.history(fu)
        seen.append(f"follow-ups {len(due)} {rule.every} {warmth.score > 0} {[c.action for c in changes]}")

        favor: netcrm.Favor = crm.favors.give(ada, "advice", on=dt.date(2026, 2, 28))
        intro: netcrm.Introduction = crm.favors.introduce(ada, grace)
        ask: netcrm.Ask = crm.favors.ask(grace, "a designer")
        balance: netcrm.Balance = crm.favors.balance(ada)
        seen.append(f"favours {favor.kind} {intro.by_you} {ask.is_open} {balance.balance:g}")

        digest: netcrm.Digest = crm.digest(now=dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc), limit=5)
        as_json: dict[str, Any] = digest.to_dict()
        seen.append(f"digest {bool(digest)} {len(digest.due)} {sorted(as_json)[:2]}")

        contact_dict: dict[str, Any] = ada.to_dict()
        batch_dicts: list[dict[str, Any]] = [b.to_dict() for b in crm.imports]
        seen.append(f"dicts {contact_dict['display_name']} {batch_dicts}")

        # The analysis methods, typed as the stubs say (pandas has no stubs on Debian: its frames are Any).
        frames = [crm.contacts.to_pandas(tag="potential-client"), crm.interactions.to_pandas(contact=ada),
                  crm.follow_ups.to_pandas(status="open"), crm.favors.to_pandas(direction="given"),
                  crm.goals.to_pandas(), crm.goals.to_pandas(plan, every="month")]
        seen.append(f"frames {[len(f) for f in frames]}")
    return seen


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        print("\n".join(use(Path(d) / "typed.db") + use_collections(Path(d) / "collections.db")), file=sys.stdout)
