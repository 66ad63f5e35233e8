#!/usr/bin/env python3
"""Prepare for an event with goals, and check them afterwards.

Before going, say what would make the evening worth it; netcrm then measures it from what you
record (cards imported with ``--event``, people met, conversations logged), never by ticking boxes:

    python3 examples/event_goals.py prepare "Paris Web 2026" --starts 2026-12-03T18:30 \\
        --zone Europe/Paris --kind conference --location "Cité des sciences" --ticket 45 --budget 120
    python3 examples/import_cards.py ~/cards/paris-web --event 12      # the cards you came back with
    python3 examples/event_goals.py review 12                          # the next morning, or weeks later

``prepare`` adds the event on its own wall clock (an IANA zone) and four goals: cards from potential
clients (``--client-tag``, at least 5), conversations with people in your sector (``--sector-tag``,
at least 3), new people (at least 1) and a spending budget. ``review`` prints how each goal went and
what the event returned for what it cost (favours and introductions that came later included).

Exit status: 0, or 2 for a wrong command line (a bad time, zone, amount or currency, no such
event); nothing is written then.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import netcrm


def amount(text: str) -> Decimal:
    """An exact amount of money, ``"45"`` or ``"12.50"`` (netcrm refuses floats: 0.1 is not 0.1 in binary)."""
    try:
        return Decimal(text)
    except InvalidOperation:  # not a ValueError, so argparse would not catch it
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount such as 80 or 12.50") from None


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    # None lets netcrm.open() use its default file and create the folder for it.
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help=f"the database (default: {netcrm.default_path()})")
    commands = parser.add_subparsers(dest="command", required=True)

    prepare = commands.add_parser("prepare", help="add an event with its goals")
    prepare.add_argument("name", help='the event, e.g. "Paris Web 2026"')
    prepare.add_argument("--starts", required=True, metavar="YYYY-MM-DDTHH:MM",
                         help="when it starts, on the wall clock of --zone")
    prepare.add_argument("--ends", metavar="YYYY-MM-DDTHH:MM", help="when it ends, same clock")
    prepare.add_argument("--zone", metavar="IANA", help="where it happens, e.g. Europe/Paris (default: your zone)")
    prepare.add_argument("--kind", default="meetup", help="meetup, conference, dinner ... (default: meetup)")
    prepare.add_argument("--location", default="")
    prepare.add_argument("--client-tag", default="potential-client", metavar="TAG",
                         help="the tag of potential clients (default: potential-client)")
    prepare.add_argument("--sector-tag", default="web", metavar="TAG",
                         help="the tag of people in your sector (default: web)")
    prepare.add_argument("--cards", type=int, default=5, metavar="N",
                         help="cards from potential clients to bring back (default: 5)")
    prepare.add_argument("--conversations", type=int, default=3, metavar="N",
                         help="people in your sector to talk with (default: 3)")
    prepare.add_argument("--new", type=int, default=1, metavar="N", help="new people to meet (default: 1)")
    prepare.add_argument("--budget", type=amount, default=Decimal("80"), metavar="AMOUNT",
                         help="the most it may cost, ticket, travel and drinks (default: 80)")
    prepare.add_argument("--currency", default="EUR", help="ISO 4217 code (default: EUR)")
    prepare.add_argument("--ticket", type=amount, metavar="AMOUNT", help="a ticket already paid, as an expense")

    review = commands.add_parser("review", help="how the goals of an event went, and what it returned")
    review.add_argument("event", type=int, metavar="EVENT_ID")
    return parser, parser.parse_args(argv)


def wall_clock(text: str, zone: ZoneInfo) -> dt.datetime:
    """``2026-12-03T18:30`` read on ``zone``'s wall clock; a time with an offset is kept as that instant."""
    t = dt.datetime.fromisoformat(text)
    return t.replace(tzinfo=zone) if t.tzinfo is None else t.astimezone(zone)


def prepare(crm: netcrm.CRM, parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    zone_name: str = args.zone or crm.time_zone
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"--zone: {zone_name!r} is not an IANA time zone such as Europe/Paris or America/New_York")
    try:
        starts = wall_clock(args.starts, zone)
        ends = None if args.ends is None else wall_clock(args.ends, zone)
    except ValueError as e:
        parser.error(f"--starts/--ends: {e}; write e.g. 2026-12-03T18:30")

    # A ZoneInfo on the start is what keeps the event on that wall clock (19:00 stays 19:00
    # whatever the UTC offset that day); netcrm refuses naive datetimes.
    event = crm.events.add(args.name, kind=args.kind, starts=starts, ends=ends, location=args.location)
    try:
        if args.ticket is not None:
            crm.events.add_expense(event, args.ticket, args.currency, category="ticket")
        # Event goals count what happened at this event only (after midnight too).
        crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=args.cards, event=event,
                      tags=[args.client_tag])
        crm.goals.add(f"Conversations in my sector ({args.sector_tag})", metric="conversations",
                      at_least=args.conversations, event=event, tags=[args.sector_tag])
        crm.goals.add("New people", metric="new_contacts", at_least=args.new, event=event)
        crm.goals.add("Budget", metric="spend", at_most=args.budget, currency=args.currency, event=event)
    except netcrm.Error:
        crm.events.remove(event)  # no half-prepared event: its expense and goals go with it
        raise

    print(crm.events.get(event))
    print()
    print(crm.goals.report(event=event))
    print()
    print("Tag the people you meet (--client-tag / --sector-tag), then afterwards:")
    print(f"  python3 examples/import_cards.py CARDS_FOLDER --event {event.id}")
    print(f"  python3 examples/event_goals.py review {event.id}")
    return 0


def review(crm: netcrm.CRM, args: argparse.Namespace) -> int:
    event = crm.events.find(args.event)
    if event is None:
        recent = crm.events.list(offset=max(0, len(crm.events) - 5))  # the last five by start
        known = "; ".join(f"#{e.id} {e.name}" for e in recent) or "none yet"
        print(f"event_goals: there is no event #{args.event} in {crm.path} (latest events: {known})",
              file=sys.stderr)
        return 2
    print(event)
    print()
    report = crm.goals.report(event=event)
    print(report)
    if report.goals and report.met == len(report):
        print("  every goal met")
    print()
    print("What it returned:")
    print(f"  {crm.goals.returns(event=event)}")

    # Whom to write to: the people met there with a follow-up still open.
    open_follow_ups = [fu for a in crm.events.attendees(event)
                       for fu in crm.follow_ups.list(contact=a.contact, status="open")]
    if open_follow_ups:
        print()
        print("Still to follow up:")
        for fu in open_follow_ups:
            print(f"  {crm.contacts.get(fu.contact).display_name}: {fu.reason}"
                  f" (due {fu.local_due:%Y-%m-%d %H:%M} {fu.time_zone})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser, args = parse_args(argv)
    with netcrm.open(args.db) as crm:
        try:
            if args.command == "prepare":
                return prepare(crm, parser, args)
            return review(crm, args)
        except netcrm.InvalidInput as e:
            # What netcrm refused of the command line: an unknown currency, an end before the start ...
            print(f"event_goals: {e}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
