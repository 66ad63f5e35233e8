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
            emails=[tuple(e) for e in p.get("emails", [])],
            phones=[tuple(e) for e in p.get("phones", [])],
            urls=[tuple(e) for e in p.get("urls", [])],
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
        added = load_people(crm)
        print(f"netcrm demo: database {crm.path}")
        print(f"  {'added ' + str(added) + ' sample people' if added else 'sample people already there'}\n")

        print("Business cards from the phone after the Paris Design Meetup, and LinkedIn connections:")
        cards = crm.import_file(DATA_DIR / "cards.vcf", how_met="Paris Design Meetup, 8 Oct 2026",
                                tags=["design-meetup"])
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

        birthdays = sorted((c for c in crm.contacts if c.birthday), key=lambda c: (c.birthday.month, c.birthday.day))
        print("Birthdays (the year is kept only when the card had one):")
        for c in birthdays:
            print(f"  {c.display_name}: {c.birthday}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
