"""The netcrm command line: ``netcrm <noun> <verb>``, also run as ``python -m netcrm``.

For the things people do without opening an editor: import cards, look people up, check what is
due, mark it done, see the digest, export. Every command takes ``--db PATH`` (default
:func:`netcrm.default_path`, which honours ``$NETCRM_DB``), ``--json`` (machine-readable output)
and ``--debug`` (tracebacks)::

    $ netcrm import ~/Downloads/cards/ --tag potential-client
    $ netcrm contacts search helene
    $ netcrm follow-ups due --days 7
    $ netcrm digest --json | curl -d @- https://hooks.example/netcrm

Exit codes: 0 done, 1 the operation failed (:class:`netcrm.Error`: not found, invalid input, a
file that cannot be read ...), 2 the command line is wrong (usage), 130 interrupted (Ctrl-C).
An error is one line on stderr, ``netcrm: error: <message>``; ``--debug`` adds the traceback.

Times are shown on the store's clock (``netcrm config time-zone``), never without a zone; times
given on the command line are ISO 8601 (``2026-03-26T19:00+01:00``), and a time without an offset,
or a bare date, is read in the store's time zone.

>>> main(["--db", ":memory:", "contacts", "add", "Ada Lovelace", "--email", "ada@example.com"])  # doctest: +SKIP
Added contact #1 Ada Lovelace
0
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import decimal
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Sequence, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import __version__, _core, _refs
from .contact import Contact
from .crm import CRM, default_path
from .crm import open as open_crm
from .events import Event
from .follow_ups import DueFollowUp, FollowUp
from .goals import Goal

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "main"]

#: The command did what it was asked.
EXIT_OK = 0
#: The operation failed: something not found, invalid input, a file that cannot be read or written.
EXIT_ERROR = 1
#: The command line itself is wrong: an unknown command or option, a malformed number or date.
EXIT_USAGE = 2
#: Interrupted with Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

PROG = "netcrm"

EXIT_CODES_HELP = """\
exit codes:
  0    done
  1    the operation failed: not found, invalid input, a file netcrm cannot read or write
  2    usage error: unknown command or option, a malformed number or date
  130  interrupted (Ctrl-C)

Errors are one line on stderr ("netcrm: error: ..."); --debug adds the traceback.
Times are shown in the store's time zone (netcrm config time-zone); times you give are ISO 8601,
read in that zone unless they carry an offset (2026-03-26T19:00+01:00).
Every command takes --db, --json and --debug, before or after its name; `netcrm COMMAND --help`
shows an example."""


class UsageError(Exception):
    """A command line that parses but does not make sense (exit code 2).

    >>> raise UsageError("--format is needed when writing to stdout")  # doctest: +SKIP
    """


# ---- time ------------------------------------------------------------------------------------------

def _tz(name: str) -> _dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _dt.timezone.utc


def _when(t: _dt.datetime | None, zone: str) -> str:
    """``2026-03-26 19:00 CET``: an instant on ``zone``'s wall clock, with the zone's abbreviation."""
    if t is None:
        return "-"
    return t.astimezone(_tz(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _iso_arg(text: str) -> _dt.datetime | _dt.date:
    """argparse type: an ISO 8601 date, or date and time (with or without an offset)."""
    t = text.strip()
    try:
        if len(t) <= 10 and "T" not in t and " " not in t:
            return _dt.date.fromisoformat(t)
        return _dt.datetime.fromisoformat(t)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date or time; expected e.g. 2026-12-01, 2026-12-01T09:30 or "
            f"2026-12-01T09:30+01:00") from None


def _aware(value: _dt.datetime | _dt.date, zone: str) -> _dt.datetime:
    """An aware datetime: as given when it has an offset, else on ``zone``'s wall clock (a date: midnight)."""
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=_tz(zone))
    return value


def _whole(text: str) -> int | None:
    """Digits only (no sign, no "1_000", no "٣"), at most 19 of them: what fits the database."""
    t = text.strip()
    if not t or len(t) > 19 or not all("0" <= ch <= "9" for ch in t):
        return None
    return int(t)


def _non_negative(text: str, most: int = _refs.MAX_ID) -> int:
    n = _whole(text)
    if n is None:
        if text.strip().startswith("-") and _whole(text.strip()[1:]) is not None:
            raise argparse.ArgumentTypeError(f"{text!r}: expected a number >= 0")
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (0 to {most:,})")
    if n > most:
        raise argparse.ArgumentTypeError(f"{text!r} is too large: at most {most:,}")
    return n


def _days(text: str) -> int:
    """argparse type: a number of days, 0 to netcrm's longest span."""
    return _non_negative(text, _refs.MAX_DAYS)


def _ident(text: str) -> int:
    n = _whole(text.strip().lstrip("#"))
    if n is None or n > _refs.MAX_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number such as 12)")
    if n <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: ids are whole numbers from 1")
    return n


def _db_path(text: str) -> str:
    """argparse type of --db: a file name (an empty one would silently mean the default database)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the database path is empty: name a file, or leave --db out for the "
                                         "default one")
    return text


# ---- output ----------------------------------------------------------------------------------------

def _plain(obj: Any) -> Any:
    """JSON-ready data: ``to_dict()`` where an object has one, else its fields, recursively."""
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, type):
        return _plain(to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if not f.name.startswith("_")}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, _dt.timedelta):
        return obj.total_seconds()
    if isinstance(obj, decimal.Decimal):
        return str(obj)
    return obj


class Output:
    """Where a command writes: text for people, or JSON with ``--json``.

    >>> out = Output(as_json=False, stream=sys.stdout)   # doctest: +SKIP
    >>> out.text("Added contact #1 Ada")                  # doctest: +SKIP
    """

    def __init__(self, *, as_json: bool, stream: TextIO) -> None:
        self.as_json = as_json
        self.stream = stream

    def text(self, *lines: str) -> None:
        for line in lines:
            self.stream.write(line + "\n")

    def json(self, data: Any) -> None:
        self.stream.write(json.dumps(_plain(data), indent=2, ensure_ascii=False) + "\n")

    def table(self, rows: Sequence[Sequence[str]], empty: str, *, indent: str = "") -> None:
        """Columns aligned with two spaces between them; ``empty`` when there are no rows."""
        if not rows:
            self.text(indent + empty)
            return
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            self.text(indent + "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())


class _Names:
    """Contact names by id, each looked up once."""

    def __init__(self, crm: CRM) -> None:
        self._crm = crm
        self._seen: dict[int, str] = {}

    def __call__(self, contact: int | None) -> str:
        if contact is None:
            return "-"
        if contact not in self._seen:
            c = self._crm.contacts.find(contact)
            self._seen[contact] = c.display_name if c is not None else f"#{contact} (deleted)"
        return self._seen[contact]


class ProgressBar:
    """A one-line progress bar on a terminal, for ``crm.import_file(progress=...)``.

    >>> crm.import_file("cards.vcf", progress=ProgressBar("cards.vcf", sys.stderr))  # doctest: +SKIP
    """

    WIDTH = 28

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label if len(label) <= 32 else "…" + label[-31:]
        self.stream = stream
        self._last = 0.0
        self._drawn = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        fraction = min(1.0, done / total) if total > 0 else 0.0
        filled = int(fraction * self.WIDTH)
        line = (f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} "
                f"{_size(done)} / {_size(total)}")
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def close(self) -> None:
        """Clears the bar's line, so the report that follows starts clean."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


# ---- commands --------------------------------------------------------------------------------------

Handler = Callable[[CRM, argparse.Namespace, Output], None]

CARD_SUFFIXES = (".vcf", ".vcard", ".csv")


def _card_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p).expanduser()
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in CARD_SUFFIXES)
            if not found:
                raise _core.FileError(f"no .vcf or .csv files in folder {p!r}")
            files.extend(found)
        else:
            files.append(path)  # whatever its name: the format is read from the content
    return files


def cmd_import(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    files = _card_files(args.paths)
    show_bar = args.progress and sys.stderr.isatty()
    reports = []
    failed = 0
    for i, f in enumerate(files, 1):
        label = f.name if len(files) == 1 else f"[{i}/{len(files)}] {f.name}"
        bar = ProgressBar(label, sys.stderr) if show_bar else None
        try:
            report = crm.import_file(f, event=args.event, tags=args.tags, how_met=args.how_met,
                                     on_duplicate=args.on_duplicate, format=args.format, progress=bar)
        except (_core.InvalidInput, _core.FileError) as e:
            # Each file is its own batch: one that cannot be read as cards is named, and the others
            # go on. Other errors (an unknown event, the database) would fail them all: they stop,
            # as Ctrl-C does.
            if len(files) == 1:
                raise
            failed += 1
            if bar is not None:
                bar.close()
            shown = os.fsencode(f).decode("utf-8", "backslashreplace")
            message = _one_line(e)
            sys.stderr.write(f"{PROG}: error: {message if shown in message else f'{shown}: {message}'}\n")
            continue
        finally:
            if bar is not None:
                bar.close()
        reports.append(report)
        if not out.as_json:
            out.text(str(report))
    if out.as_json:
        out.json(reports)
    if failed:
        raise _core.Error(f"{failed} of {len(files)} files could not be imported (see above); the others were")


def cmd_batches(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    batches = crm.imports.list()
    if out.as_json:
        out.json(batches)
        return
    zone = crm.time_zone
    out.table([(f"#{b.id}", _when(b.finished_at, zone), b.source, b.format,
                f"{b.added} added, {b.merged} merged, {b.skipped} skipped, {b.rejected} rejected",
                f"undone {_when(b.undone_at, zone)}" if b.undone_at else "")
               for b in batches], "No imports yet.")


def cmd_undo(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    crm.imports.undo(args.batch, force=args.force)
    batch = crm.imports.get(args.batch)
    if out.as_json:
        out.json(batch)
        return
    out.text(f"Undid import #{batch.id} of {batch.source}: {batch.added} added contacts deleted, "
             f"{batch.merged} merged contacts restored")


def _contact_lines(crm: CRM, c: Contact) -> list[str]:
    zone = crm.time_zone
    names = _Names(crm)
    lines = c._card_lines()
    if c.introduced_by is not None:
        lines.append(f"  introduced by: {names(c.introduced_by)} (#{c.introduced_by})")
    assert c.id is not None
    for a in crm.events.attended(c.id):
        event = crm.events.find(a.event)
        title = event.name if event is not None else f"event #{a.event}"
        first = ", first meeting" if a.first_meeting else ""
        lines.append(f"  met at: {title} (#{a.event}) {_when(a.met_at, zone)}{first}")
    for fu in crm.follow_ups.list(contact=c.id, status="open"):
        lines.append(f"  follow-up #{fu.id}: {fu.reason}, due {_when(fu.due, zone)}")
    if c.notes:
        lines.append("  notes:")
        for n in c.notes:
            text = n.text.replace("\n", "\n      ")
            lines.append(f"    [{_when(n.at, zone)}] {text}")
    return lines


def _contact_rows(contacts: Iterable[Contact]) -> list[tuple[str, ...]]:
    return [(f"#{c.id}", c.display_name, c.organization, c.emails[0].value if c.emails else "",
             ", ".join(c.tags)) for c in contacts]


def cmd_contacts_list(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    contacts = crm.contacts.list(tag=args.tag, organization=args.org, limit=args.limit, offset=args.offset)
    if out.as_json:
        out.json(contacts)
    else:
        out.table(_contact_rows(contacts), "No contacts.")


def cmd_contacts_search(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    contacts = crm.contacts.search(" ".join(args.query), limit=args.limit)
    if out.as_json:
        out.json(contacts)
    else:
        out.table(_contact_rows(contacts), "No contact matches.")


def cmd_contacts_show(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    c = crm.contacts.get(args.id)
    if out.as_json:
        out.json(c)
    else:
        out.text(*_contact_lines(crm, c))


def cmd_contacts_add(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    c = crm.contacts.add(Contact(args.name, organization=args.org, title=args.title, emails=args.emails,
                                 phones=args.phones, tags=args.tags, how_met=args.how_met,
                                 notes=[args.note] if args.note else ()))
    if out.as_json:
        out.json(c)
    else:
        out.text(f"Added contact #{c.id} {c.display_name}")


def cmd_contacts_merge(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    c = crm.contacts.merge(args.keep, args.other)
    if out.as_json:
        out.json(c)
    else:
        out.text(f"Merged #{args.other} into #{c.id}:", *_contact_lines(crm, c))


def _event_rows(events: Iterable[Event]) -> list[tuple[str, ...]]:
    return [(f"#{e.id}", _when(e.starts, e.time_zone or "UTC"), e.name, e.kind, e.location) for e in events]


def cmd_events_list(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    zone = crm.time_zone
    events = crm.events.list(kind=args.kind, tag=args.tag,
                             start=None if args.start is None else _aware(args.start, zone),
                             end=None if args.end is None else _aware(args.end, zone), limit=args.limit)
    if out.as_json:
        out.json(events)
    else:
        out.table(_event_rows(events), "No events.")


def cmd_events_show(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    e = crm.events.get(args.id)
    attendees = crm.events.attendees(args.id)
    if out.as_json:
        data = _plain(e)
        data["attendees"] = _plain(attendees)
        out.json(data)
        return
    lines = str(e).splitlines()
    lines[1] = "  " + _when(e.starts, e.time_zone or crm.time_zone) + (
        f" to {_when(e.ends, e.time_zone or crm.time_zone)}" if e.ends else "") + (
        f" ({e.time_zone})" if e.time_zone else "")
    spent = e.spent()
    if spent:
        lines.append("  total: " + " + ".join(f"{v} {k}" for k, v in spent.items()))
    names = _Names(crm)
    if attendees:
        lines.append(f"  met ({len(attendees)}):")
        lines.extend(f"    {names(a.contact)} (#{a.contact})" + (", first meeting" if a.first_meeting else "")
                     for a in attendees)
    if crm.goals.list(event=args.id):
        lines.extend("  " + line for line in str(crm.goals.report(event=args.id)).splitlines())
    out.text(*lines)


def cmd_events_add(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    zone = args.zone or crm.time_zone
    starts = _aware(args.starts, zone)
    ends = None if args.ends is None else _aware(args.ends, zone)
    if args.zone:
        starts, ends = starts.astimezone(_tz(zone)), None if ends is None else ends.astimezone(_tz(zone))
    e = crm.events.add(args.name, starts=starts, ends=ends, kind=args.kind, location=args.location,
                       tags=args.tags, time_zone=args.zone)
    if out.as_json:
        out.json(e)
    else:
        out.text(f"Added event #{e.id} {e.name}, {_when(e.starts, e.time_zone or zone)} ({e.time_zone})")


def _goal_target(g: Goal) -> str:
    target = f"{g.target} {g.currency}" if g.currency else str(g.target)
    return f"{g.metric} {g.comparison} {target}"


def cmd_goals_list(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    goals = crm.goals.list(event=args.event, plan_only=args.plan)
    if out.as_json:
        out.json(goals)
        return
    rows = []
    for g in goals:
        where = f"event #{g.event}" if g.event is not None else f"period {g.period}"
        rows.append((f"#{g.id}", g.name, _goal_target(g), where))
    out.table(rows, "No goals.")


def cmd_goals_report(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    if args.event is not None:
        report = crm.goals.report(event=args.event)
    else:
        report = crm.goals.report(period=args.period or "this year")
    if out.as_json:
        out.json(report)
    else:
        out.text(str(report))


def _due_rows(crm: CRM, dues: Sequence[DueFollowUp], names: _Names) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for d in dues:
        fu = d.follow_up
        state = f"overdue {_late(d.late)}" if d.overdue else ("due now" if d.late else "")
        rows.append((f"#{fu.id}", _when(fu.due, crm.time_zone), state, f"{names(fu.contact)}: {fu.reason}"))
    return rows


def _late(late: _dt.timedelta) -> str:
    days = late.days
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = late.seconds // 3600
    return f"{hours} h" if hours else f"{late.seconds // 60} min"


def _due_json(dues: Sequence[DueFollowUp], names: _Names) -> list[dict[str, Any]]:
    return [dict(d.to_dict(), contact_name=names(d.follow_up.contact)) for d in dues]


def cmd_follow_ups_due(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    names = _Names(crm)
    due = crm.follow_ups.due(limit=args.limit)
    upcoming = crm.follow_ups.upcoming(days=args.days, limit=args.limit) if args.days else []
    if out.as_json:
        out.json({"due": _due_json(due, names), "upcoming": _due_json(upcoming, names)})
        return
    out.text(f"Due ({len(due)}):")
    out.table(_due_rows(crm, due, names), "nothing due", indent="  ")
    if args.days:
        out.text("", f"Coming up in {args.days} day{'s' if args.days != 1 else ''} ({len(upcoming)}):")
        out.table(_due_rows(crm, upcoming, names), "nothing coming up", indent="  ")


def _follow_up_line(crm: CRM, fu: FollowUp) -> str:
    return f"#{fu.id} {_Names(crm)(fu.contact)}: {fu.reason}, due {_when(fu.due, crm.time_zone)} ({fu.status})"


def cmd_follow_ups_list(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    status = None if args.status == "all" else args.status
    items = crm.follow_ups.list(contact=args.contact, status=status, limit=args.limit)
    if out.as_json:
        out.json(items)
        return
    names = _Names(crm)
    out.table([(f"#{fu.id}", _when(fu.due, crm.time_zone), fu.status, f"{names(fu.contact)}: {fu.reason}")
               for fu in items], "No follow-ups.")


def cmd_follow_ups_add(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    due: _dt.datetime | _dt.date | _dt.timedelta
    if args.in_days is not None:
        due = _dt.timedelta(days=args.in_days)
    elif isinstance(args.due, _dt.datetime):
        due = _aware(args.due, crm.time_zone)
    else:
        due = args.due
    fu = crm.follow_ups.schedule(args.contact, args.reason, due=due)
    if out.as_json:
        out.json(fu)
    else:
        out.text("Scheduled " + _follow_up_line(crm, fu))


def cmd_follow_ups_done(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    fu = crm.follow_ups.complete(args.id, note=args.note)
    if out.as_json:
        out.json(fu)
    else:
        out.text("Done: " + _follow_up_line(crm, fu))


def cmd_follow_ups_snooze(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    if args.days is not None:
        fu = crm.follow_ups.snooze(args.id, by=_dt.timedelta(days=args.days), note=args.note)
    elif isinstance(args.until, _dt.datetime):
        fu = crm.follow_ups.snooze(args.id, until=_aware(args.until, crm.time_zone), note=args.note)
    else:
        fu = crm.follow_ups.snooze(args.id, until=args.until, note=args.note)
    if out.as_json:
        out.json(fu)
    else:
        out.text("Snoozed " + _follow_up_line(crm, fu))


def cmd_favors_list(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    favors = crm.favors.list(contact=args.contact, direction=args.direction, limit=args.limit)
    if out.as_json:
        out.json(favors)
        return
    names = _Names(crm)
    rows = []
    for f in favors:
        who = f"to {names(f.contact)}" if f.direction == "given" else f"from {names(f.contact)}"
        weight = "" if f.weight == 1 else f"weight {f.weight:g}"
        rows.append((f"#{f.id}", f.on.isoformat() if f.on else "-", f"{f.kind.replace('_', ' ')} {f.direction}",
                     who, weight, "" if f.status == "done" else f.status, f.note))
    out.table(rows, "No favours.")


def cmd_favors_balance(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    if args.contact is not None:
        crm.contacts.get(args.contact)  # NotFound names the contact, rather than an empty balance
        balances = [crm.favors.balance(args.contact)]
    else:
        people = sorted({f.contact for f in crm.favors.list()})
        balances = sorted((crm.favors.balance(c) for c in people), key=lambda b: (b.balance, b.contact))
    if out.as_json:
        out.json(balances[0] if args.contact is not None else balances)
        return
    names = _Names(crm)
    rows = []
    for b in balances:
        who = f"{names(b.contact)} (#{b.contact})"
        if b.balance < 0:
            where = f"you owe {who} {-b.balance:g}"
        elif b.balance > 0:
            where = f"{who} owes you {b.balance:g}"
        else:
            where = f"even with {who}"
        rows.append((where, f"given {b.given:g}, received {b.received:g}"))
    out.table(rows, "No favours.")


def cmd_digest(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    digest = crm.digest(cold_days=args.cold_days, upcoming_days=args.upcoming_days, limit=args.limit)
    if out.as_json:
        out.text(digest.to_json().rstrip("\n"))
    else:
        out.text(str(digest).rstrip("\n"))


EXPORT_FORMATS = ("vcard", "vcard3", "csv", "json", "ics")
EXPORT_SUFFIXES = {".vcf": "vcard", ".vcard": "vcard", ".csv": "csv", ".json": "json", ".ics": "ics"}


def cmd_export(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    fmt = args.format
    if fmt is None:
        if args.path == "-":
            raise UsageError("--format is needed when writing to stdout (-): " + ", ".join(EXPORT_FORMATS))
        fmt = EXPORT_SUFFIXES.get(Path(args.path).suffix.lower())
        if fmt is None:
            raise UsageError(f"cannot tell the format from {args.path!r}: name the file .vcf, .csv, .json or "
                             f".ics, or pass --format ({', '.join(EXPORT_FORMATS)})")
    if args.path == "-":
        text = crm.export(None, format=fmt, tag=args.tag)
        assert text is not None
        sys.stdout.write(text)
        return
    path = Path(args.path).expanduser()
    crm.export(path, format=fmt, tag=args.tag)
    if out.as_json:
        out.json({"path": str(path), "format": fmt, "bytes": path.stat().st_size})
    else:
        out.text(f"Exported {fmt} to {path}")


CONFIG_KEYS = ("time-zone", "region")


def cmd_config(crm: CRM, args: argparse.Namespace, out: Output) -> None:
    if args.value is not None:
        if args.key == "time-zone":
            crm.time_zone = args.value
        else:
            crm.default_region = args.value
    values = {"database": crm.path, "time-zone": crm.time_zone, "region": crm.default_region}
    if args.key is not None:
        values = {args.key: values[args.key]}
    if out.as_json:
        out.json(values)
    else:
        out.text(*(f"{k} = {v}" for k, v in values.items()))


# ---- the parser ------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse with the prog name fixed to ``netcrm ...`` however it was started."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common(*, top: bool) -> _Parser:
    """--db, --json and --debug: on the top parser with defaults, on each command without (so
    ``netcrm --json contacts list`` and ``netcrm contacts list --json`` both work)."""
    p = _Parser(add_help=False)
    default: Any = None if top else argparse.SUPPRESS
    p.add_argument("--db", metavar="PATH", default=default, type=_db_path,
                   help="the database file (default: $NETCRM_DB, else ~/.local/share/netcrm/netcrm.db)")
    p.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                   help="print machine-readable JSON")
    p.add_argument("--debug", action="store_true", default=False if top else argparse.SUPPRESS,
                   help="show the traceback of an error")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The whole command line as an :class:`argparse.ArgumentParser`.

    >>> build_parser().parse_args(["contacts", "show", "12"]).id
    12
    """
    common = _common(top=False)
    parser = _Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[_common(top=True)],
                     description="netcrm: the people you meet, what they told you, and what to do next.",
                     epilog="examples:\n  netcrm import ~/Downloads/cards/ --tag potential-client\n"
                            "  netcrm contacts search helene\n  netcrm follow-ups due --days 7\n\n"
                            + EXIT_CODES_HELP)
    parser.add_argument("--version", action="version",
                        version=f"netcrm {__version__} (database schema {_core.SCHEMA_VERSION})")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(group: Any, name: str, summary: str, examples: Sequence[str], handler: Handler, *,
                writes: bool = False, aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(
            name, help=summary, description=summary[0].upper() + summary[1:] + ".", aliases=list(aliases),
            parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=("example:\n" if len(examples) == 1 else "examples:\n") + "\n".join(f"  {e}" for e in examples))
        p.set_defaults(handler=handler, writes=writes)
        return p

    def noun(name: str, summary: str, aliases: Sequence[str] = ()) -> Any:
        p = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                                aliases=list(aliases), parents=[common])
        p.set_defaults(noun_parser=p)
        return p.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)

    # import, batches, undo
    p = command(commands, "import", "import card files or folders of them (.vcf, .csv) as one batch each",
                ["netcrm import ~/Downloads/contacts.vcf", "netcrm import Connections.csv --tag linkedin",
                 "netcrm import ~/cards/ --event 3 --tag potential-client --on-duplicate skip"],
                cmd_import, writes=True)
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a vCard, MECARD or CSV file (format read from the content), or a folder: its .vcf, "
                        ".vcard and .csv files, subfolders included")
    p.add_argument("--event", type=_ident, metavar="ID", help="the event where you met these people")
    p.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG",
                   help="tag every contact the import creates (repeatable)")
    p.add_argument("--how-met", default="", metavar="TEXT", help='e.g. "Paris Design Meetup, 8 Oct 2026"')
    p.add_argument("--on-duplicate", choices=("merge", "skip", "create"), default="merge",
                   help="what to do with a card of someone already known (default: merge)")
    p.add_argument("--format", choices=("vcard", "mecard", "csv"), help="force a format instead of detecting it")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="no progress bar (it is shown only when stderr is a terminal)")
    command(commands, "batches", "list import batches, oldest first", ["netcrm batches"], cmd_batches)
    p = command(commands, "undo", "undo an import batch: delete what it added, restore what it merged into",
                ["netcrm undo 3", "netcrm undo 3 --force"], cmd_undo, writes=True)
    p.add_argument("batch", type=_ident, metavar="BATCH", help="the batch id (netcrm batches)")
    p.add_argument("--force", action="store_true", help="undo even if those contacts changed since (losing the changes)")

    # contacts
    contacts = noun("contacts", "list, search, show, add and merge contacts")
    p = command(contacts, "list", "list contacts in name order", ["netcrm contacts list --tag investor"],
                cmd_contacts_list)
    p.add_argument("--tag", help="only contacts with this tag")
    p.add_argument("--org", help="only contacts at this organization")
    p.add_argument("--limit", type=_non_negative, help="at most this many")
    p.add_argument("--offset", type=_non_negative, default=0, help="skip this many first")
    p = command(contacts, "search", "full-text search (names, emails, phones, organization, tags, notes)",
                ["netcrm contacts search helene", "netcrm contacts search ada analytical"], cmd_contacts_search)
    p.add_argument("query", nargs="+", metavar="WORD", help="every word must match the start of a word")
    p.add_argument("--limit", type=_non_negative, default=100, help="at most this many (default 100)")
    p = command(contacts, "show", "show one contact with notes, events and open follow-ups",
                ["netcrm contacts show 12"], cmd_contacts_show)
    p.add_argument("id", type=_ident, metavar="ID")
    p = command(contacts, "add", "add a contact",
                ['netcrm contacts add "Ada Lovelace" --email ada@example.com --org "Analytical Engines" --tag vip'],
                cmd_contacts_add, writes=True)
    p.add_argument("name", metavar="NAME", help="the name to show")
    p.add_argument("--email", dest="emails", action="append", default=[], metavar="ADDRESS", help="repeatable")
    p.add_argument("--phone", dest="phones", action="append", default=[], metavar="NUMBER", help="repeatable")
    p.add_argument("--org", default="", metavar="ORGANIZATION")
    p.add_argument("--title", default="")
    p.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG", help="repeatable")
    p.add_argument("--how-met", default="", metavar="TEXT")
    p.add_argument("--note", default="", metavar="TEXT")
    p = command(contacts, "merge", "merge OTHER into KEEP (nothing is lost) and delete OTHER",
                ["netcrm contacts merge 12 57"], cmd_contacts_merge, writes=True)
    p.add_argument("keep", type=_ident, metavar="KEEP")
    p.add_argument("other", type=_ident, metavar="OTHER")

    # events
    events = noun("events", "list, show and add events")
    p = command(events, "list", "list events in order of start",
                ["netcrm events list --kind meetup --from 2026-03-01 --to 2026-04-01"], cmd_events_list)
    p.add_argument("--kind")
    p.add_argument("--tag")
    p.add_argument("--from", dest="start", type=_iso_arg, metavar="WHEN", help="starting at or after (ISO date or time)")
    p.add_argument("--to", dest="end", type=_iso_arg, metavar="WHEN", help="starting before (ISO date or time)")
    p.add_argument("--limit", type=_non_negative)
    p = command(events, "show", "show an event: when, where, cost, whom you met and its goals",
                ["netcrm events show 3"], cmd_events_show)
    p.add_argument("id", type=_ident, metavar="ID")
    p = command(events, "add", "add an event",
                ['netcrm events add "Paris.rb" --kind meetup --starts 2026-03-26T19:00 --zone Europe/Paris',
                 'netcrm events add "Tech dinner" --starts 2026-03-28T20:30+01:00 --location "Chez Janou"'],
                cmd_events_add, writes=True)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--starts", type=_iso_arg, required=True, metavar="WHEN",
                   help="ISO 8601; without an offset, on the clock of --zone (else the store's zone)")
    p.add_argument("--ends", type=_iso_arg, metavar="WHEN")
    p.add_argument("--zone", metavar="IANA", help="the event's time zone, e.g. Europe/Paris")
    p.add_argument("--kind", default="", help="meetup, conference, dinner ...")
    p.add_argument("--location", default="")
    p.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG", help="repeatable")

    # goals
    goals = noun("goals", "list goals and report on them")
    p = command(goals, "list", "list goals", ["netcrm goals list", "netcrm goals list --event 3"], cmd_goals_list)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--event", type=_ident, metavar="ID", help="only the goals of this event")
    which.add_argument("--plan", action="store_true", help="only plan goals (over a period)")
    p = command(goals, "report", "how the goals of an event, or the plan goals of a period, are going",
                ["netcrm goals report --event 3", "netcrm goals report --period 2027-Q1"], cmd_goals_report)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--event", type=_ident, metavar="ID")
    which.add_argument("--period", metavar="SPEC",
                       help='2027, 2027-Q2, 2027-05, 2027-W05, 2027-05-14, 2027-01-01..2027-06-30, "this month" '
                            '... (default: "this year")')

    # follow-ups
    fus = noun("follow-ups", "what to do for whom, and when", aliases=["followups"])
    p = command(fus, "due", "follow-ups due now, most urgent first (and coming up, with --days)",
                ["netcrm follow-ups due", "netcrm follow-ups due --days 7"], cmd_follow_ups_due)
    p.add_argument("--days", type=_days, default=0, metavar="N", help="also those due in the next N days")
    p.add_argument("--limit", type=_non_negative, metavar="N")
    p = command(fus, "list", "list follow-ups by due time", ["netcrm follow-ups list --contact 12 --status all"],
                cmd_follow_ups_list)
    p.add_argument("--contact", type=_ident, metavar="ID")
    p.add_argument("--status", choices=("open", "done", "cancelled", "all"), default="open")
    p.add_argument("--limit", type=_non_negative, metavar="N")
    p = command(fus, "add", "schedule a follow-up",
                ['netcrm follow-ups add 12 "Send the deck" --due 2026-12-01',
                 'netcrm follow-ups add 12 "Call back" --in-days 3'], cmd_follow_ups_add, writes=True)
    p.add_argument("contact", type=_ident, metavar="CONTACT")
    p.add_argument("reason", metavar="REASON")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--due", type=_iso_arg, metavar="WHEN", help="a date (due at 09:00 in the store's zone) or a time")
    when.add_argument("--in-days", type=_days, metavar="N", help="N days from now")
    p = command(fus, "done", "mark a follow-up done", ['netcrm follow-ups done 4 --note "over coffee"'],
                cmd_follow_ups_done, writes=True)
    p.add_argument("id", type=_ident, metavar="ID")
    p.add_argument("--note", default="", metavar="TEXT")
    p = command(fus, "snooze", "put a follow-up off",
                ["netcrm follow-ups snooze 4 --days 2", "netcrm follow-ups snooze 4 --until 2026-12-07"],
                cmd_follow_ups_snooze, writes=True)
    p.add_argument("id", type=_ident, metavar="ID")
    until = p.add_mutually_exclusive_group(required=True)
    until.add_argument("--until", type=_iso_arg, metavar="WHEN",
                       help="a date (09:00 that day in the store's zone) or a time")
    until.add_argument("--days", type=_days, metavar="N", help="N days later (from now if already due)")
    p.add_argument("--note", default="", metavar="TEXT")

    # favours
    favors = noun("favors", "the ledger of favours given and received", aliases=["favours"])
    p = command(favors, "list", "list favours in date order", ["netcrm favors list --contact 12"], cmd_favors_list)
    p.add_argument("--contact", type=_ident, metavar="ID")
    p.add_argument("--direction", choices=("given", "received"))
    p.add_argument("--limit", type=_non_negative, metavar="N")
    p = command(favors, "balance", "where you stand with one contact, or with everyone (whom you owe first)",
                ["netcrm favors balance", "netcrm favors balance 12"], cmd_favors_balance)
    p.add_argument("contact", type=_ident, nargs="?", metavar="CONTACT")

    # digest, export, config
    p = command(commands, "digest", "today's digest: due, coming up, to thank, going cold, goals at risk",
                ["netcrm digest", "netcrm digest --json"], cmd_digest)
    p.add_argument("--cold-days", type=_days, default=90, metavar="N")
    p.add_argument("--upcoming-days", type=_days, default=7, metavar="N")
    p.add_argument("--limit", type=_non_negative, default=20, metavar="N", help="at most N items a section")
    p = command(commands, "export", "write contacts (.vcf, .csv), a full backup (.json) or follow-ups (.ics)",
                ["netcrm export contacts.vcf", "netcrm export backup.json", "netcrm export follow-ups.ics",
                 "netcrm export - --format csv --tag investor"], cmd_export)
    p.add_argument("path", metavar="PATH", help="the file to write (its suffix says the format), or - for stdout")
    p.add_argument("--format", choices=EXPORT_FORMATS, help="vcard (4.0), vcard3, csv, json or ics")
    p.add_argument("--tag", help="only contacts with this tag (vcard and csv)")
    p = command(commands, "config", "show or set the store's time zone and phone region",
                ["netcrm config", "netcrm config time-zone Europe/Paris", "netcrm config region FR"], cmd_config)
    p.add_argument("key", nargs="?", choices=CONFIG_KEYS, metavar="KEY", help="time-zone or region")
    p.add_argument("value", nargs="?", metavar="VALUE", help="the new value")
    return parser


# ---- running ---------------------------------------------------------------------------------------

def _open(args: argparse.Namespace) -> CRM:
    if args.db == ":memory:":
        return open_crm(":memory:")
    path = Path(args.db).expanduser() if args.db else default_path()
    creates = args.writes or (args.handler is cmd_config and args.value is not None)  # config only when setting
    if not creates and not path.exists():
        raise _core.FileError(f"no netcrm database at {str(path)!r} (import cards or add a contact to create "
                              f"one, or pass --db)")
    if args.db is None:
        return open_crm(None)
    return open_crm(path)


def _one_line(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    if isinstance(e, KeyError) and not isinstance(e, _core.Error) and e.args:
        text = str(e.args[0])
    if not isinstance(e, (_core.Error, OSError, ValueError, UsageError)):
        text = f"{type(e).__name__}: {text}"
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line and returns the exit code (``sys.exit(main())``).

    >>> main(["--db", "cards.db", "contacts", "search", "helene"])   # doctest: +SKIP
    #3  Hélène Lefèvre  Atelier Lefèvre  helene@atelier.example  potential-client
    0
    """
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as e:
        return EXIT_OK if e.code is None else e.code if isinstance(e.code, int) else EXIT_USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        noun_parser: argparse.ArgumentParser = getattr(args, "noun_parser", parser)
        noun_parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(args.debug)
    try:
        with _open(args) as crm:
            handler(crm, args, Output(as_json=bool(args.json), stream=sys.stdout))
        sys.stdout.flush()
        return EXIT_OK
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        sys.stderr.write("\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `netcrm contacts list | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except UsageError as e:
        if debug:
            traceback.print_exc()
        sys.stderr.write(f"{PROG}: error: {_one_line(e)}\n")
        return EXIT_USAGE
    except Exception as e:  # noqa: BLE001 - every error becomes one line; --debug shows where it came from
        if debug:
            traceback.print_exc()
        sys.stderr.write(f"{PROG}: error: {_one_line(e)}\n")
        return EXIT_ERROR
