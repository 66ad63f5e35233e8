"""Events you go to, what they cost, and whom you met there: ``crm.events``.

An :class:`Event` has a start (and maybe an end) as aware datetimes and the IANA zone of its wall
clock, so a 19:00 meetup in Paris stays at 19:00 Paris time whatever the UTC offset that day::

    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    rb = crm.events.add("Paris.rb", kind="meetup", starts=datetime(2026, 3, 26, 19, 0, tzinfo=paris),
                        tags=["ruby"])
    crm.events.add_expense(rb, "12.50", "EUR", category="ticket")
    crm.events.met(rb, ada, introduced_by=bob)     # Contact objects or ids
    crm.events.first_met(ada)                      # -> Attendance at Paris.rb

Money is exact: amounts are :class:`decimal.Decimal` (``str`` and ``int`` are accepted, ``float``
is refused) with an ISO 4217 currency code.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import decimal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union
from zoneinfo import ZoneInfo

from .contact import Contact, _id as _contact_id
from . import _refs
from ._core import InvalidInput
from ._refs import paged, record_id
from ._time import aware as _aware, instant_or_day

if TYPE_CHECKING:
    from . import _core

__all__ = ["Attendance", "Event", "Events", "Expense"]

Amount = Union[decimal.Decimal, str, int]


def _amount_text(amount: object, what: str = "amount") -> str:
    """The decimal text the core parses; floats are refused because 0.1 is not 0.1 in binary."""
    if isinstance(amount, bool):
        raise TypeError(f"{what} must be a Decimal, str or int, not bool")
    if isinstance(amount, float):
        raise TypeError(f"{what} must be a Decimal, str or int, not float: money is exact, and {amount!r} as a "
                        f"float is not; write Decimal({str(amount)!r}) or {str(amount)!r}")
    if isinstance(amount, decimal.Decimal):
        if not amount.is_finite():
            raise InvalidInput(f"{what} must be a finite number, not {amount}")
        return format(amount, "f")
    if isinstance(amount, int):
        return str(amount)
    if isinstance(amount, str):
        return amount
    raise TypeError(f"{what} must be a Decimal, str or int, not {type(amount).__name__}")


def _zone_key(t: _dt.datetime) -> str | None:
    """The IANA name of an aware datetime's zone, when it is a ZoneInfo (a fixed offset has none)."""
    tz = t.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) and tz.key else None


def _in_zone(t: _dt.datetime, zone: str) -> _dt.datetime:
    try:
        return t.astimezone(ZoneInfo(zone))
    except (ValueError, LookupError):  # a zone the core knows and Python's tz database does not
        return t


@dataclass(init=False)
class Expense:
    """What attending cost: an exact ``amount`` in an ISO 4217 ``currency``.

    >>> Expense("12.5", "EUR", category="ticket")
    Expense(12.5 EUR, category='ticket')
    >>> Expense(decimal.Decimal("12.50"), "EUR").amount
    Decimal('12.50')

    ``amount`` is kept as a :class:`decimal.Decimal` (``str`` and ``int`` are converted; ``float`` is
    refused). The store checks the currency and that the amount has no more decimals than it
    allows (``"12.345"`` EUR is refused, not rounded). ``id`` is set by the store.
    """

    amount: decimal.Decimal
    currency: str
    category: str
    note: str
    id: int | None

    def __init__(self, amount: Amount, currency: str, category: str = "other", note: str = "",
                 id: int | None = None) -> None:
        text = _amount_text(amount)
        if isinstance(amount, decimal.Decimal):
            self.amount = amount
        else:
            try:
                self.amount = decimal.Decimal(text.strip())
            except decimal.InvalidOperation:

                raise InvalidInput(f"amount {text!r} is not a decimal number, e.g. '12.50'") from None
        if not isinstance(currency, str):
            raise TypeError(f"currency must be a str such as 'EUR', not {type(currency).__name__}")
        self.currency = currency
        self.category = category
        self.note = note
        self.id = id

    def __repr__(self) -> str:
        bits = [f"{self.amount} {self.currency}"]
        if self.category != "other":
            bits.append(f"category={self.category!r}")
        if self.note:
            bits.append(f"note={self.note!r}")
        if self.id is not None:
            bits.append(f"id={self.id}")
        return f"Expense({', '.join(bits)})"

    def __str__(self) -> str:
        s = f"{self.amount} {self.currency} {self.category}"
        return f"{s}: {self.note}" if self.note else s

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; the amount as a decimal string, never a float.

        >>> Expense("3.80", "EUR", "travel").to_dict()["amount"]
        '3.80'
        """
        return {"id": self.id, "amount": str(self.amount), "currency": self.currency, "category": self.category,
                "note": self.note}

    def _to_core(self) -> dict[str, Any]:
        return {"id": self.id or 0, "amount": _amount_text(self.amount), "currency": self.currency,
                "category": self.category, "note": self.note}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Expense:
        return cls(decimal.Decimal(d["amount"]), d["currency"], d["category"], d["note"], d["id"])


@dataclass
class Event:
    """An event: a meetup, a conference, a dinner, a workshop, something online ...

    >>> from zoneinfo import ZoneInfo
    >>> e = Event("Paris.rb", datetime.datetime(2026, 3, 26, 19, 0, tzinfo=ZoneInfo("Europe/Paris")),
    ...           kind="meetup", tags=["ruby"])
    >>> e.time_zone is None       # filled in when stored: the zone of ``starts``, else the store's
    True

    ``starts`` and ``ends`` are aware datetimes; an event read from the store has them in UTC, like
    every instant netcrm returns, and keeps its wall clock as ``time_zone``: ``local_starts`` and
    ``local_ends`` are the times on that clock. ``kind`` and expense categories are stored in lower
    case. ``id``, ``created_at`` and ``updated_at`` are set by the store.
    """

    name: str
    starts: _dt.datetime
    ends: _dt.datetime | None = None
    kind: str = ""
    time_zone: str | None = None
    location: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    id: int | None = None
    created_at: _dt.datetime | None = None
    updated_at: _dt.datetime | None = None

    def __post_init__(self) -> None:
        if isinstance(self.tags, str):
            raise TypeError(f"tags must be a list, e.g. [{self.tags!r}], not a single str")
        self.tags = builtins.list(self.tags)
        self.expenses = builtins.list(self.expenses)

    @property
    def local_starts(self) -> _dt.datetime:
        """``starts`` on the event's wall clock (``time_zone``; ``starts`` itself without one).

        >>> Event("Dinner", datetime.datetime(2026, 3, 26, 14, 30, tzinfo=datetime.timezone.utc),
        ...       time_zone="Asia/Kolkata").local_starts.isoformat()
        '2026-03-26T20:00:00+05:30'
        """
        return _in_zone(self.starts, self.time_zone) if self.time_zone else self.starts

    @property
    def local_ends(self) -> _dt.datetime | None:
        """``ends`` on the event's wall clock, or None."""
        if self.ends is None:
            return None
        return _in_zone(self.ends, self.time_zone) if self.time_zone else self.ends

    @property
    def duration(self) -> _dt.timedelta | None:
        """Elapsed time from start to end (an hour less on a night the clocks go forward)."""
        if self.ends is None:
            return None
        return self.ends.astimezone(_dt.timezone.utc) - self.starts.astimezone(_dt.timezone.utc)

    def spent(self) -> dict[str, decimal.Decimal]:
        """Total of the expenses per currency (never converted).

        >>> Event("x", datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        ...       expenses=[Expense("0.10", "EUR"), Expense("0.20", "EUR")]).spent()
        {'EUR': Decimal('0.30')}
        """
        totals: dict[str, decimal.Decimal] = {}
        for x in self.expenses:
            totals[x.currency] = totals.get(x.currency, decimal.Decimal(0)) + x.amount
        return totals

    def __repr__(self) -> str:
        bits = [f"id={self.id}" if self.id is not None else "unsaved", repr(self.name)]
        if self.kind:
            bits.append(f"kind={self.kind!r}")
        if isinstance(self.starts, _dt.datetime):
            bits.append(f"starts={self.local_starts.isoformat(sep=' ')}")
        if self.time_zone:
            bits.append(f"time_zone={self.time_zone!r}")
        if self.tags:
            bits.append(f"tags={self.tags!r}")
        if self.expenses:
            bits.append(f"expenses={len(self.expenses)}")
        return f"Event({', '.join(bits)})"

    def __str__(self) -> str:
        starts, ends = self.local_starts, self.local_ends
        when = starts.strftime("%Y-%m-%d %H:%M")
        if ends is not None:
            same_day = ends.date() == starts.date()
            when += "–" + ends.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
        if self.time_zone:
            when += f" {self.time_zone}"
        head = self.name + (f" ({self.kind})" if self.kind else "") + (f" #{self.id}" if self.id is not None else "")
        lines = [head, f"  {when}"]
        if self.location:
            lines.append(f"  at {self.location}")
        if self.tags:
            lines.append("  tags: " + ", ".join(self.tags))
        lines.extend(f"  spent: {x}" for x in self.expenses)
        if self.notes:
            lines.append("  " + self.notes.replace("\n", "\n  "))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter shows the event as a small table (every value escaped)."""
        from . import _html

        return _html.event(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: instants as ISO 8601 strings as they are (UTC once stored), and
        ``local_starts``/``local_ends`` on the event's wall clock.

        >>> d = Event("Dinner", datetime.datetime(2026, 3, 26, 14, 30, tzinfo=datetime.timezone.utc),
        ...           time_zone="Asia/Kolkata").to_dict()
        >>> d["starts"], d["local_starts"]
        ('2026-03-26T14:30:00+00:00', '2026-03-26T20:00:00+05:30')
        """
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        return {"id": self.id, "name": self.name, "kind": self.kind, "starts": iso(self.starts),
                "ends": iso(self.ends), "local_starts": iso(self.local_starts), "local_ends": iso(self.local_ends),
                "time_zone": self.time_zone, "location": self.location, "notes": self.notes,
                "tags": builtins.list(self.tags), "expenses": [x.to_dict() for x in self.expenses],
                "created_at": iso(self.created_at), "updated_at": iso(self.updated_at)}

    def _to_core(self) -> dict[str, Any]:
        starts = _aware(self.starts, "starts")
        ends = None if self.ends is None else _aware(self.ends, "ends")
        zone = self.time_zone if self.time_zone is not None else (_zone_key(starts) or "")
        for i, x in enumerate(self.expenses):
            if not isinstance(x, Expense):
                raise TypeError(f"expenses[{i}] must be an Expense, e.g. Expense('12.50', 'EUR'), "
                                f"not {type(x).__name__}")
        return {"id": self.id or 0, "name": self.name, "kind": self.kind, "starts_at": starts, "ends_at": ends,
                "time_zone": zone, "location": self.location, "notes": self.notes, "tags": builtins.list(self.tags),
                "expenses": [x._to_core() for x in self.expenses]}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Event:
        zone = d["time_zone"]
        return cls(name=d["name"], starts=d["starts_at"], ends=d["ends_at"],
                   kind=d["kind"], time_zone=zone, location=d["location"], notes=d["notes"], tags=builtins.list(d["tags"]),
                   expenses=[Expense._from_core(x) for x in d["expenses"]], id=d["id"], created_at=d["created_at"],
                   updated_at=d["updated_at"])


@dataclass(frozen=True)
class Attendance:
    """That you met ``contact`` at ``event`` (both ids), when, and whether for the first time.

    >>> Attendance(3, 7, datetime.datetime(2026, 3, 26, 18, 0, tzinfo=datetime.timezone.utc), True)
    Attendance(event=3, contact=7, met_at=2026-03-26 18:00:00+00:00, first meeting)

    ``met_at`` is in UTC, like every instant netcrm returns; ``time_zone`` is the event's wall
    clock and ``local_met_at`` the time on it. ``introduced_by`` is the id of the contact who made
    the introduction, if someone did.
    """

    event: int
    contact: int
    met_at: _dt.datetime
    first_meeting: bool = False
    introduced_by: int | None = None
    time_zone: str | None = None

    @property
    def local_met_at(self) -> _dt.datetime:
        """``met_at`` on the event's wall clock (``met_at`` itself without a zone).

        >>> Attendance(3, 7, datetime.datetime(2026, 3, 26, 18, 0, tzinfo=datetime.timezone.utc),
        ...            time_zone="America/New_York").local_met_at.isoformat()
        '2026-03-26T14:00:00-04:00'
        """
        return _in_zone(self.met_at, self.time_zone) if self.time_zone else self.met_at

    def __repr__(self) -> str:
        bits = [f"event={self.event}", f"contact={self.contact}", f"met_at={self.met_at.isoformat(sep=' ')}"]
        if self.first_meeting:
            bits.append("first meeting")
        if self.introduced_by is not None:
            bits.append(f"introduced_by={self.introduced_by}")
        return f"Attendance({', '.join(bits)})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, ``met_at`` as an ISO 8601 string.

        >>> Attendance(3, 7, datetime.datetime(2026, 3, 26, 18, 0, tzinfo=datetime.timezone.utc)).to_dict()["met_at"]
        '2026-03-26T18:00:00+00:00'
        """
        return {"event": self.event, "contact": self.contact, "met_at": self.met_at.isoformat(),
                "local_met_at": self.local_met_at.isoformat(), "time_zone": self.time_zone,
                "first_meeting": self.first_meeting, "introduced_by": self.introduced_by}

    @classmethod
    def _from_core(cls, d: dict[str, Any], zone: str | None = None) -> Attendance:
        return cls(d["event"], d["contact"], d["met_at"], d["first_meeting"], d["introduced_by"], zone or None)


EventRef = Union[int, Event]
ContactRef = Union[int, Contact]


def _event_id(ref: EventRef) -> int:
    return record_id(ref, "event", Event)


class Events:
    """The events of an open database: ``crm.events``.

    >>> rb = crm.events.add("Paris.rb", kind="meetup",                          # doctest: +SKIP
    ...                     starts=datetime(2026, 3, 26, 19, 0, tzinfo=ZoneInfo("Europe/Paris")))
    >>> crm.events.list(kind="meetup", tag="ruby")                              # doctest: +SKIP
    [Event(id=1, 'Paris.rb', kind='meetup', starts=2026-03-26 19:00:00+01:00, ...)]

    ``len(crm.events)``, ``for e in crm.events`` (in order of start) and ``crm.events[id]`` work.
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    def add(self, name: str | Event, *, starts: _dt.datetime | None = None, ends: _dt.datetime | None = None,
            kind: str = "", time_zone: str | None = None, location: str = "", notes: str = "",
            tags: Iterable[str] = (), expenses: Iterable[Expense] = ()) -> Event:
        """Saves a new event and returns it as stored, with its times on the event's wall clock.

        ``starts``/``ends`` are aware datetimes (a naive one raises ``ValueError``). ``time_zone``
        defaults to the zone of ``starts`` when it is a :class:`zoneinfo.ZoneInfo`, else to
        :attr:`CRM.time_zone`. Passing an :class:`Event` instead of a name saves that event.
        Raises :class:`netcrm.InvalidInput` naming the field that breaks a rule (no name, an
        unknown zone, ends before starts, an unknown currency, a negative amount ...).

        >>> crm.events.add("Tech dinner", kind="dinner", location="Chez Janou",    # doctest: +SKIP
        ...                starts=datetime(2026, 3, 28, 20, 30, tzinfo=ZoneInfo("Europe/Paris")))
        """
        if isinstance(name, Event):
            event = name
        else:
            if starts is None:
                raise TypeError("add() needs starts=, an aware datetime")
            event = Event(name, starts, ends, kind=kind, time_zone=time_zone, location=location, notes=notes,
                          tags=builtins.list(tags), expenses=builtins.list(expenses))
        return Event._from_core(self._core.event_add(event._to_core()))

    def get(self, event: EventRef) -> Event:
        """The stored event; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.events.get(1).name                                                  # doctest: +SKIP
        'Paris.rb'
        """
        return Event._from_core(self._core.event_get(_event_id(event)))

    def find(self, event: EventRef) -> Event | None:
        """Like :meth:`get`, but ``None`` when there is no such event.

        >>> crm.events.find(12345) is None                                          # doctest: +SKIP
        True
        """
        d = self._core.event_find(_event_id(event))
        return None if d is None else Event._from_core(d)

    def update(self, event: Event, /, **fields: Any) -> Event:
        """Saves every field of a stored event, its tags and expenses included, and returns it.

        Expenses that keep their ``id`` stay the same expense; new ones (``id`` None) get one;
        those left out are deleted. ``update(e, location="Online")`` changes that field first.

        >>> e = crm.events.get(1)                                                   # doctest: +SKIP
        >>> crm.events.update(e, notes="Great talks")                              # doctest: +SKIP
        """
        if fields:
            import dataclasses

            event = dataclasses.replace(event, **fields)
        _event_id(event)
        return Event._from_core(self._core.event_update(event._to_core()))

    def remove(self, event: EventRef) -> None:
        """Deletes the event with its expenses and attendance (interactions logged there stay).

        >>> crm.events.remove(1)                                                    # doctest: +SKIP
        """
        self._core.event_remove(_event_id(event))

    def list(self, *, kind: str | None = None, tag: str | None = None, start: _dt.datetime | _dt.date | None = None,
             end: _dt.datetime | _dt.date | None = None, attendee: ContactRef | None = None,
             limit: int | None = None, offset: int = 0) -> builtins.list[Event]:
        """Events in order of start, optionally filtered.

        ``kind`` and ``tag`` match case-insensitively; ``start`` (inclusive) and ``end``
        (exclusive) bound the start instant: aware datetimes, or dates taken at midnight in
        :attr:`CRM.time_zone`; ``attendee`` keeps the events where that contact was met.

        >>> crm.events.list(start=date(2026, 3, 1), end=date(2026, 4, 1))          # doctest: +SKIP
        """
        n, offset = _refs.limit(limit), _refs.whole(offset, "offset")
        if n == 0:
            return []
        args = self._filter(kind, tag, start, end, attendee)
        return [Event._from_core(d) for d in self._core.event_list(*args, n or 0, offset)]

    def count(self, *, kind: str | None = None, tag: str | None = None, start: _dt.datetime | _dt.date | None = None,
              end: _dt.datetime | _dt.date | None = None, attendee: ContactRef | None = None) -> int:
        """How many events :meth:`list` gives with the same filters.

        >>> crm.events.count(kind="conference")                                     # doctest: +SKIP
        2
        """
        return self._core.event_count(*self._filter(kind, tag, start, end, attendee))

    def _filter(self, kind: str | None, tag: str | None, start: _dt.datetime | _dt.date | None,
                end: _dt.datetime | _dt.date | None,
                attendee: ContactRef | None) -> tuple[str | None, str | None, _dt.datetime | None,
                                                      _dt.datetime | None, int | None]:
        s, t = self._bound(start, "start"), self._bound(end, "end")
        _refs.period(s, t, (start, end))
        return (kind, tag, s, t, None if attendee is None else _contact_id(attendee))

    def _bound(self, t: _dt.datetime | _dt.date | None, what: str) -> _dt.datetime | None:
        return instant_or_day(t, what, self._core.time_zone)

    def add_expense(self, event: EventRef, amount: Amount, currency: str, *, category: str = "other",
                    note: str = "") -> Expense:
        """Records what attending cost and returns the stored :class:`Expense` (with its id).

        ``amount`` is a :class:`decimal.Decimal`, ``str`` or ``int``; a ``float`` raises
        ``TypeError`` (money is exact). Raises :class:`netcrm.InvalidInput` for an unknown
        currency, a negative amount or too many decimals, :class:`netcrm.NotFound` for an
        unknown event.

        >>> crm.events.add_expense(rb, "12.50", "EUR", category="ticket")           # doctest: +SKIP
        Expense(12.50 EUR, category='ticket', id=1)
        """
        x = Expense(amount, currency, category, note)
        return Expense._from_core(self._core.event_add_expense(_event_id(event), x._to_core()))

    def remove_expense(self, expense: Expense | int) -> None:
        """Deletes an expense; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.events.remove_expense(1)                                            # doctest: +SKIP
        """
        if isinstance(expense, Expense):
            if expense.id is None:
                raise InvalidInput("this expense has not been saved yet")
            expense = expense.id
        if isinstance(expense, bool) or not isinstance(expense, int):
            raise TypeError(f"expected an expense id (int) or an Expense, not {type(expense).__name__}")
        self._core.event_remove_expense(expense)

    def met(self, event: EventRef, contact: ContactRef, *, at: _dt.datetime | None = None,
            first_meeting: bool | None = None, introduced_by: ContactRef | None = None) -> Attendance:
        """Records that you met ``contact`` at ``event``; meeting them there again replaces it.

        ``at`` defaults to the event's start. ``first_meeting`` defaults to: you had not met them
        before (no earlier event, no earlier interaction except at this event); the first meeting
        is the earliest one recorded, so an earlier event entered later (a backfill) takes it over
        from the one recorded before. Asking for it when another event already is their first
        meeting raises :class:`netcrm.InvalidInput` naming that event (clear that one with
        ``first_meeting=False`` first). ``introduced_by`` also becomes the contact's own
        ``introduced_by`` when it has none.

        >>> crm.events.met(rb, ada, introduced_by=bob)                             # doctest: +SKIP
        Attendance(event=1, contact=2, met_at=2026-03-26 18:00:00+00:00, first meeting, introduced_by=3)
        """
        eid = _event_id(event)
        if at is not None:
            _aware(at, "at")
        if first_meeting is not None and not isinstance(first_meeting, bool):
            raise TypeError(f"first_meeting must be True, False or None, not {type(first_meeting).__name__}")
        intro = None if introduced_by is None else _contact_id(introduced_by)
        d = self._core.event_add_attendee(eid, _contact_id(contact), at, first_meeting, intro)
        zone = event.time_zone if isinstance(event, Event) and event.time_zone else self._core.event_get(eid)["time_zone"]
        return Attendance._from_core(d, zone)

    def remove_attendee(self, event: EventRef, contact: ContactRef) -> None:
        """Forgets that you met ``contact`` at ``event``; raises :class:`netcrm.NotFound` if you had not.

        >>> crm.events.remove_attendee(rb, ada)                                     # doctest: +SKIP
        """
        self._core.event_remove_attendee(_event_id(event), _contact_id(contact))

    def attendees(self, event: EventRef) -> builtins.list[Attendance]:
        """Whom you met at an event, in the order you met them.

        >>> [a.contact for a in crm.events.attendees(rb)]                           # doctest: +SKIP
        [2, 5]
        """
        eid = _event_id(event)
        rows = self._core.event_attendees(eid)
        zone = self._core.event_get(eid)["time_zone"] if rows else None
        return [Attendance._from_core(d, zone) for d in rows]

    def attended(self, contact: ContactRef) -> builtins.list[Attendance]:
        """The events where you met a contact, in the order you met them there.

        >>> [crm.events.get(a.event).name for a in crm.events.attended(ada)]        # doctest: +SKIP
        ['Paris.rb', 'Tech dinner']
        """
        rows = self._core.event_attended(_contact_id(contact))
        zones: dict[int, str] = {}
        for d in rows:
            if d["event"] not in zones:
                zones[d["event"]] = self._core.event_get(d["event"])["time_zone"]
        return [Attendance._from_core(d, zones[d["event"]]) for d in rows]

    def first_met(self, contact: ContactRef) -> Attendance | None:
        """Where and when you first met a contact, if it was at an event.

        >>> crm.events.get(crm.events.first_met(ada).event).name                    # doctest: +SKIP
        'Paris.rb'
        """
        d = self._core.event_first_met(_contact_id(contact))
        if d is None:
            return None
        return Attendance._from_core(d, self._core.event_get(d["event"])["time_zone"])

    def __getitem__(self, event: int) -> Event:
        return self.get(event)

    def __contains__(self, event: object) -> bool:
        if isinstance(event, Event):
            event = event.id
        if isinstance(event, bool) or not isinstance(event, int):
            return False
        return self._core.event_find(event) is not None

    def __iter__(self) -> Iterator[Event]:
        # Pages, so years of events are not loaded at once.
        return paged(lambda limit, offset: self._core.event_list(None, None, None, None, None, limit, offset),
                     Event._from_core, page=200)

    def __len__(self) -> int:
        return self.count()

    def __repr__(self) -> str:
        return f"<netcrm.Events: {len(self)} events>"
