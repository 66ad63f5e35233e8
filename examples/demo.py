#!/usr/bin/env python3
"""The netcrm demo: fills a database from examples/data and shows what netcrm knows.

Run it with ./scripts/demo (which builds netcrm first). The database is netcrm's default
($NETCRM_DB, else $XDG_DATA_HOME/netcrm/netcrm.db) unless --db PATH is given. Running it again
reuses the same people instead of adding them twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import netcrm

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA = DATA_DIR / "contacts.json"
SOURCE = "netcrm demo"


def load_people(crm: netcrm.CRM) -> int:
    """Adds the sample people once; returns how many were added."""
    if crm.contacts.search("Lefèvre"):
        return 0
    people = json.loads(DATA.read_text(encoding="utf-8"))["contacts"]
    for p in people:
        birthday = p.get("birthday")
        crm.contacts.add(netcrm.Contact(
            display_name=p["display_name"],
            name=netcrm.Name(**p.get("name", {})),
            organization=p.get("organization", ""),
            title=p.get("title", ""),
            emails=[(value, kind) for value, kind in p.get("emails", [])],
            phones=[(value, kind) for value, kind in p.get("phones", [])],
            urls=[(value, kind) for value, kind in p.get("urls", [])],
            tags=p.get("tags", []),
            birthday=netcrm.PartialDate.parse(birthday) if birthday else None,
            how_met=p.get("how_met", ""),
            notes=[netcrm.Note(text, dt.datetime.fromisoformat(at)) for at, text in p.get("notes", [])],
            source=p.get("source", SOURCE),
        ))
    return len(people)


def same_person_by_email(crm: netcrm.CRM) -> list[tuple[netcrm.Contact, netcrm.Contact, str]]:
    """Pairs of contacts sharing an email address (case-insensitive): the same person twice."""
    seen: dict[str, netcrm.Contact] = {}
    pairs = []
    for c in crm.contacts:
        for e in c.emails:
            key = e.value.lower()
            if key in seen and seen[key].id != c.id:
                first, second = sorted((seen[key], c), key=lambda x: x.id or 0)
                pairs.append((first, second, e.value))  # the older record survives
                break
            seen.setdefault(key, c)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database file (default: $NETCRM_DB or $XDG_DATA_HOME/netcrm/netcrm.db)")
    args = parser.parse_args(argv)

    with netcrm.open(args.db) as crm:
        if not crm.default_region:
            crm.default_region = "FR"  # our freelancer works in Paris: "06 ..." numbers are French
            crm.time_zone = "Europe/Paris"  # what "today" and 09:00 mean for follow-ups and goals
        added = load_people(crm)
        print(f"netcrm demo: database {crm.path}")
        print(f"  {'added ' + str(added) + ' sample people' if added else 'sample people already there'}\n")

        meetup, first_visit = design_meetup(crm)
        print(f"Event: {meetup}")
        if first_visit:
            print("  goals set before going: 5 cards from potential clients, 3 conversations with designers,"
                  " 1 new person, at most 80 EUR")
        print()

        print("Business cards from the phone after the Paris Design Meetup, and LinkedIn connections:")
        cards = crm.import_file(DATA_DIR / "cards.vcf", event=meetup, how_met="Paris Design Meetup, 8 Oct 2026",
                                tags=["design-meetup", "design"])
        linkedin = crm.import_file(DATA_DIR / "linkedin-Connections.csv", tags=["linkedin"])
        for report in (cards, linkedin):
            print("  " + str(report).replace(str(DATA_DIR) + "/", "").replace("\n", "\n  "))
        print("  (run the demo again: the same files merge into the same people, nothing is doubled;"
              f" crm.imports.undo({linkedin.batch}) would take the last import back)\n")

        print("Duplicates (same email on two cards), merged so nothing is lost:")
        pairs = same_person_by_email(crm)
        if not pairs:
            print("  none left: earlier runs merged them")
        for keep, other, email in pairs:
            merged = crm.contacts.merge(keep, other)
            print(f"  {other.display_name!r} + {keep.display_name!r} share {email}: merged into #{merged.id}, "
                  f"now {len(merged.emails)} emails, {len(merged.phones)} phones, {len(merged.notes)} notes")
        print()

        orgs = {c.organization for c in crm.contacts if c.organization}
        print(f"Your network: {len(crm.contacts)} people at {len(orgs)} organizations")
        print("  tags: " + ", ".join(f"{t} ({n})" for t, n in crm.contacts.tags().items()) + "\n")

        print("Potential clients, and what they need:")
        for c in crm.contacts.list(tag="potential-client"):
            need = c.notes[0].text if c.notes else "(no notes yet)"
            print(f"  {c.display_name} ({c.organization}): {need}")
        print()

        print('Search "helene" (accents and case ignored):')
        for c in crm.contacts.search("helene"):
            print("  " + str(c).replace("\n", "\n  "))
        print()

        print('Who mentioned "python"? (full-text over notes):')
        for c in crm.contacts.search("python"):
            print(f"  {c.display_name}: {c.notes[0].text}")
        print()

        if first_visit:
            log_the_evening(crm, meetup)
        print("The Paris Design Meetup, measured from what was logged:")
        print("  " + str(crm.goals.report(event=meetup)).replace("\n", "\n  "))
        print("  " + str(crm.goals.returns(event=meetup)))
        print()

        birthdays = sorted((c for c in crm.contacts if c.birthday),
                           key=lambda c: (c.birthday.month, c.birthday.day) if c.birthday else (0, 0))
        print("Birthdays (the year is kept only when the card had one):")
        for c in birthdays:
            print(f"  {c.display_name}: {c.birthday}")
        print()

        print("Favours and introductions:")
        for b in crm.favors.owed():
            print(f"  {crm.contacts.get(b.contact).display_name} helped you and you have not helped back yet"
                  f" (received {b.received:g}, given {b.given:g})")
        for ask in crm.favors.could_help():
            print(f"  you could help {crm.contacts.get(ask.contact).display_name}: {ask.text}")
        print()

        print("Today's digest:")
        print("  " + str(crm.digest()).rstrip("\n").replace("\n", "\n  "))
    return 0


def design_meetup(crm: netcrm.CRM) -> tuple[netcrm.Event, bool]:
    """The Paris Design Meetup of 8 Oct 2026 with its goals, made once; True when made now."""
    for e in crm.events.list(tag="demo"):
        if e.name == "Paris Design Meetup":
            return e, False
    paris = ZoneInfo("Europe/Paris")
    # Set before the first event, so that everyone met there gets a follow-up two business days later.
    crm.follow_ups.add_rule("after_event", every="2 business_days", reason="Write after the Paris Design Meetup")
    meetup = crm.events.add("Paris Design Meetup", kind="meetup", tags=["demo"], location="La Cantine, Paris",
                            starts=dt.datetime(2026, 10, 8, 19, 0, tzinfo=paris),
                            ends=dt.datetime(2026, 10, 8, 22, 30, tzinfo=paris))
    crm.events.add_expense(meetup, "15.00", "EUR", category="ticket")
    crm.events.add_expense(meetup, "22.50", "EUR", category="meal", note="dinner after, with Kenji")
    crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5, event=meetup,
                  tags=["potential-client"])
    crm.goals.add("Conversations with designers", metric="conversations", at_least=3, event=meetup, tags=["design"])
    crm.goals.add("New people", metric="new_contacts", at_least=1, event=meetup)
    crm.goals.add("Budget", metric="spend", at_most="80", currency="EUR", event=meetup)
    return crm.events.get(meetup), True


def log_the_evening(crm: netcrm.CRM, meetup: netcrm.Event) -> None:
    """What happened at the meetup and after: conversations, a favour, an introduction, an ask."""
    by_name: dict[str, netcrm.Contact] = {}
    for c in crm.contacts:  # by name, then id: the first of two namesakes is the one known longest
        by_name.setdefault(c.display_name, c)
    paris = ZoneInfo("Europe/Paris")
    helene, kenji, lucia = by_name["Hélène Lefèvre"], by_name["Kenji Nakamura"], by_name["Lucía García"]
    crm.interactions.log("conversation", helene, event=meetup, at=dt.datetime(2026, 10, 8, 19, 40, tzinfo=paris),
                         notes="Redesigning her shop's booking page; wants a quote in November")
    crm.interactions.log("conversation", [kenji, lucia], event=meetup,
                         at=dt.datetime(2026, 10, 8, 20, 15, tzinfo=paris),
                         notes="Kenji runs a two-person studio; Lucía looks for a Python freelancer")
    crm.interactions.log("meal", kenji, event=meetup, at=dt.datetime(2026, 10, 8, 22, 45, tzinfo=paris))
    crm.favors.give(lucia, "advice", on=dt.date(2026, 10, 9), note="which Python stack for her agency")
    # The next morning: the promised quote went to Hélène, which is her follow-up done.
    mail = crm.interactions.log("email", helene, at=dt.datetime(2026, 10, 9, 10, 5, tzinfo=paris),
                                notes="Sent the quote for the booking site")
    for fu in crm.follow_ups.list(contact=helene, status="open"):
        crm.follow_ups.complete(fu, interaction=mail, at=mail.at)
    if "Grace Okafor" in by_name and "Marc Dubois" in by_name:
        crm.favors.introduced_to(by_name["Marc Dubois"], by=by_name["Grace Okafor"], on=dt.date(2026, 10, 20),
                                 note="Grace thought Marc's bakery needs a booking site")
    crm.favors.ask(kenji, "looking for a back-end developer for a client project")


if __name__ == "__main__":
    sys.exit(main())
