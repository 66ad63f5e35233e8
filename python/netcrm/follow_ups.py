"""Follow-ups that never slip, and ``crm.follow_ups``.

A follow-up is something to do for a contact by a due time: write after the meetup, say thank you,
get back in touch. It can be completed, snoozed, rescheduled or cancelled, and keeps its history.
Rules make them for you: after meeting someone at an event, after a favour received, and
keep-in-touch cadences per contact or per tag that count from your last interaction::

    from datetime import date, timedelta
    fu = crm.follow_ups.schedule(ada, "Thank Ada for the intro", due=date(2026, 12, 1))
    crm.follow_ups.snooze(fu, by=timedelta(days=2))
    crm.follow_ups.add_rule("cadence", every="3 weeks", tag="investor")
    for d in crm.follow_ups.due():
        print(d)

A due *day* falls due at a local time of day (09:00 unless said) in the user's time zone
(``crm.time_zone``), right across DST changes. Instants are aware :class:`datetime.datetime`
values; a naive one raises ``ValueError``. Every query takes ``now`` (aware) and defaults to the
database's clock, so "as of" questions are reproducible.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal, Mapping, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .contact import Contact
from .events import Event
from .interactions import Interaction, LastInteraction, QuietContact
from . import _refs
from ._core import InvalidInput
from ._refs import record_id
from ._time import aware

if TYPE_CHECKING:
    import pandas  # type: ignore[import]  # optional, and without type stubs on Debian

    from . import _core

__all__ = ["FOLLOW_UP_STATUSES", "RULE_KINDS", "STEP_UNITS", "DueFollowUp", "FollowUp", "FollowUpChange",
           "FollowUps", "Rule", "Warmth"]

Status = Literal["open", "done", "cancelled"]
RuleKind = Literal["after_event", "after_favor", "cadence"]

#: What a follow-up's ``status`` can be.
FOLLOW_UP_STATUSES: tuple[str, ...] = ("open", "done", "cancelled")
#: The kinds of rule ``crm.follow_ups.add_rule`` accepts.
RULE_KINDS: tuple[str, ...] = ("after_event", "after_favor", "cadence")
#: The units a rule's ``every`` counts in.
STEP_UNITS: tuple[str, ...] = ("business_days", "days", "weeks", "months")

_UTC = _dt.timezone.utc


# ---- conversions ----------------------------------------------------------------------------------

def _zone(name: str) -> _dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _UTC


def _local(at: _dt.datetime | None, zone: str) -> _dt.datetime | None:
    return None if at is None else at.astimezone(_zone(zone))


def _aware(at: Any, what: str) -> _dt.datetime:
    return aware(at, what).astimezone(_UTC)


def _id_of(ref: Any, what: str, cls: type | None = None) -> int:
    """An id from an int or a saved object with an ``id`` (Contact, Event, Interaction, FollowUp ...)."""
    return record_id(ref, what, cls, hint="")


def _opt_id(ref: Any, what: str) -> int | None:
    return None if ref is None else _id_of(ref, what)


def _minutes(at_time: Any) -> int:
    """Minutes after midnight of a wall-clock time of day; a time with a tzinfo is refused (where a
    zone can be honoured, :func:`_time_zone_of` has already taken it)."""
    if not isinstance(at_time, _dt.time):
        raise TypeError(f"at_time must be a datetime.time such as time(9, 30), not {type(at_time).__name__}")
    if at_time.tzinfo is not None:
        raise ValueError(f"at_time: a rule's time of day is on your wall clock (crm.time_zone); give it without "
                         f"a tzinfo, not {at_time.isoformat()}")
    if at_time.second or at_time.microsecond:
        raise InvalidInput(f"at_time: whole minutes only, got {at_time.isoformat()}")
    return at_time.hour * 60 + at_time.minute


def _time_zone_of(at_time: Any, zone: str) -> tuple[Any, str]:
    """A due time of day and the zone of its clock: a ``time`` with a ``ZoneInfo`` is on that zone's
    clock (``time(9, tzinfo=ZoneInfo("America/New_York"))``: 09:00 in New York), which must agree
    with ``time_zone=`` when both are given; any other tzinfo (a fixed offset) has no IANA zone
    and is refused. Returns the time without its tzinfo, and the zone name."""
    if not isinstance(at_time, _dt.time) or at_time.tzinfo is None:
        return at_time, zone
    tz = at_time.tzinfo
    if not isinstance(tz, ZoneInfo) or not tz.key:
        raise ValueError(f"at_time: {at_time.isoformat()} has a fixed offset, not a time zone; give a plain "
                         f"time and time_zone=, or a ZoneInfo, e.g. time(9, tzinfo=ZoneInfo('Europe/Paris'))")
    if zone and zone != tz.key:
        raise ValueError(f"at_time is on {tz.key}'s clock but time_zone is {zone!r}; give one of them")
    return at_time.replace(tzinfo=None), tz.key


def _time_of(minutes: int) -> _dt.time:
    return _dt.time(minutes // 60, minutes % 60)


def _zone_name(time_zone: Any) -> str:
    if time_zone is None:
        return ""
    if isinstance(time_zone, ZoneInfo):
        return time_zone.key
    if not isinstance(time_zone, str):
        raise TypeError(f"time_zone must be an IANA name (str) or a ZoneInfo, not {type(time_zone).__name__}")
    return time_zone


def _seconds(by: Any, what: str) -> int:
    if not isinstance(by, _dt.timedelta):
        raise TypeError(f"{what} must be a datetime.timedelta, not {type(by).__name__}")
    return int(by.total_seconds())


_EVERY = re.compile(r"^\s*(?:every\s+)?(\d{1,9})?\s*([a-z][a-z _-]*?)\s*$", re.IGNORECASE)


def _parse_every(every: Any) -> tuple[int, str]:
    """``"2 business days"``, ``"every 3 months"``, ``"week"`` or ``(2, "business_days")``."""
    if isinstance(every, tuple) and len(every) == 2:
        count, unit = every
        if isinstance(count, bool) or not isinstance(count, int) or not isinstance(unit, str):
            raise TypeError("every as a tuple is (count, unit), e.g. (2, 'business_days')")
        return _refs.whole(count, "every (the count)", minimum=1, maximum=_refs.MAX_DAYS), unit
    if not isinstance(every, str):
        raise TypeError(f"every must be a str such as '2 business days' or a (count, unit) tuple, "
                        f"not {type(every).__name__}")
    m = _EVERY.match(every)
    if not m:
        raise InvalidInput(f"every: cannot read {every!r}; expected e.g. '2 business days', 'every 3 months'")
    return _refs.whole(int(m.group(1) or 1), "every (the count)", minimum=1, maximum=_refs.MAX_DAYS), m.group(2)


# ---- values ---------------------------------------------------------------------------------------

@dataclass(eq=True)
class FollowUp:
    """Something to do for a contact by a due time.

    >>> fu = crm.follow_ups.schedule(ada, "Thank Ada for the intro", due=date(2026, 12, 1))  # doctest: +SKIP
    >>> fu                                                                                   # doctest: +SKIP
    FollowUp #3 due 2026-12-01 09:00 Europe/Paris: Thank Ada for the intro (open)

    ``due``, ``completed_at``, ``created_at`` and ``updated_at`` are aware datetimes in UTC (so
    ``fu.due == instant`` holds for the same instant in any zone, in a repeated autumn hour too);
    ``time_zone`` is the wall clock it falls due on, and ``local_due`` is ``due`` on that clock.
    ``event``, ``interaction``, ``favor`` and ``rule`` are the ids of what it follows up on and the
    rule that made it. ``sequence`` counts its changes.
    """

    id: int
    contact: int
    reason: str
    due: _dt.datetime
    time_zone: str
    status: str = "open"
    event: int | None = None
    interaction: int | None = None
    favor: int | None = None
    rule: int | None = None
    completed_at: _dt.datetime | None = None
    completed_by: int | None = None
    created_at: _dt.datetime | None = None
    updated_at: _dt.datetime | None = None
    sequence: int = 0

    @classmethod
    def _from_core(cls, d: Mapping[str, Any]) -> FollowUp:
        return cls(d["id"], d["contact"], d["reason"], d["due"], d["time_zone"], d["status"], d["event"],
                   d["interaction"], d["favor"], d["rule"], d["completed_at"], d["completed_by"], d["created_at"],
                   d["updated_at"], d["sequence"])

    @property
    def is_open(self) -> bool:
        """True while it waits to be done."""
        return self.status == "open"

    @property
    def local_due(self) -> _dt.datetime:
        """``due`` on the wall clock of ``time_zone`` (for showing it; compare instants with ``due``).

        >>> fu.local_due          # doctest: +SKIP
        datetime.datetime(2026, 12, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Paris'))
        """
        local = _local(self.due, self.time_zone)
        assert local is not None
        return local

    def __repr__(self) -> str:
        return (f"FollowUp #{self.id} due {self.local_due:%Y-%m-%d %H:%M} {self.time_zone}: {self.reason} "
                f"({self.status})")

    __str__ = __repr__

    def to_dict(self) -> dict[str, Any]:
        """Plain values (instants as ISO 8601 strings in UTC; ``local_due`` on ``time_zone``'s clock),
        ready for JSON.

        >>> fu.to_dict()["due"], fu.to_dict()["local_due"]      # doctest: +SKIP
        ('2026-12-01T08:00:00+00:00', '2026-12-01T09:00:00+01:00')
        """
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()
        return {"id": self.id, "contact": self.contact, "reason": self.reason, "due": iso(self.due),
                "local_due": iso(self.local_due), "time_zone": self.time_zone, "status": self.status, "event": self.event,
                "interaction": self.interaction, "favor": self.favor, "rule": self.rule,
                "completed_at": iso(self.completed_at), "completed_by": self.completed_by,
                "created_at": iso(self.created_at), "updated_at": iso(self.updated_at), "sequence": self.sequence}


@dataclass(eq=True)
class FollowUpChange:
    """One step in a follow-up's history: ``created``, ``snoozed``, ``rescheduled``, ``completed``,
    ``cancelled``, ``reopened`` or ``pushed`` (a logged interaction moved a cadence). Instants in UTC.

    >>> [c.action for c in crm.follow_ups.history(fu)]   # doctest: +SKIP
    ['created', 'snoozed', 'completed']
    """

    at: _dt.datetime
    action: str
    due_before: _dt.datetime | None = None
    due_after: _dt.datetime | None = None
    note: str = ""

    def __repr__(self) -> str:
        moved = ""
        if self.due_after is not None:
            moved = f" -> {self.due_after:%Y-%m-%d %H:%M} UTC"
        note = f": {self.note}" if self.note else ""
        return f"{self.at:%Y-%m-%d %H:%M} UTC {self.action}{moved}{note}"

    def to_dict(self) -> dict[str, Any]:
        """``{"at": "...", "action": "snoozed", "due_before": "...", "due_after": "...", "note": ""}``."""
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()
        return {"at": iso(self.at), "action": self.action, "due_before": iso(self.due_before),
                "due_after": iso(self.due_after), "note": self.note}


@dataclass(eq=True)
class DueFollowUp:
    """An open follow-up as seen at an instant: ``overdue`` when due on a day before today in the
    user's zone (not just earlier today), and how ``late`` it is.

    >>> [str(d) for d in crm.follow_ups.due()]   # doctest: +SKIP
    ['OVERDUE by 1 day, 6:00:00: FollowUp #2 due ...']
    """

    follow_up: FollowUp
    overdue: bool
    late: _dt.timedelta

    def __repr__(self) -> str:
        if self.overdue:
            return f"OVERDUE by {self.late}: {self.follow_up!r}"
        if self.late:
            return f"due {self.late} ago: {self.follow_up!r}"
        return repr(self.follow_up)

    def to_dict(self) -> dict[str, Any]:
        """``{"follow_up": {...}, "overdue": True, "late": 3600.0}`` (late in seconds)."""
        return {"follow_up": self.follow_up.to_dict(), "overdue": self.overdue, "late": self.late.total_seconds()}


@dataclass(eq=True)
class Rule:
    """A rule that makes follow-ups.

    ``after_event``: someone met at an event gets a follow-up ``every`` after the event's day (only
    contacts with ``tag`` when set). ``after_favor``: a favour received gets a thank-you ``every``
    after its date. ``cadence``: keep in touch with ``contact``, or everyone tagged ``tag``, every
    ``every``, counted from the last interaction. ``every`` is ``(count, unit)`` with a unit from
    :data:`STEP_UNITS`; ``holidays`` names a calendar that business days skip.

    >>> crm.follow_ups.add_rule("cadence", every="2 weeks", tag="investor")   # doctest: +SKIP
    Rule #1 cadence every 2 weeks for tag 'investor' at 09:00
    """

    kind: str
    every: tuple[int, str] = (2, "business_days")
    contact: int | None = None
    tag: str = ""
    at_time: _dt.time = _dt.time(9)
    holidays: str = ""
    reason: str = ""
    active: bool = True
    id: int | None = None
    created_at: _dt.datetime | None = None

    @classmethod
    def _from_core(cls, d: Mapping[str, Any]) -> Rule:
        return cls(d["kind"], (d["every"], d["unit"]), d["contact"], d["tag"], _time_of(d["time_of_day"]),
                   d["holidays"], d["reason"], d["active"], d["id"], d["created_at"])

    def _to_core(self) -> dict[str, Any]:
        count, unit = _parse_every(self.every)
        return {"id": self.id, "kind": self.kind, "contact": _opt_id(self.contact, "contact"), "tag": self.tag,
                "every": count, "unit": unit, "time_of_day": _minutes(self.at_time), "holidays": self.holidays,
                "reason": self.reason, "active": self.active}

    def __repr__(self) -> str:
        count, unit = self.every
        unit = unit.replace("_", " ")
        step = unit.rstrip("s") if count == 1 else f"{count} {unit}"
        who = f" for contact #{self.contact}" if self.contact is not None else ""
        who += f" for tag {self.tag!r}" if self.tag else ""
        extra = f" skipping {self.holidays}" if self.holidays else ""
        extra += "" if self.active else " (paused)"
        ident = f"#{self.id} " if self.id is not None else ""
        return f"Rule {ident}{self.kind} every {step}{who} at {self.at_time:%H:%M}{extra}"

    def to_dict(self) -> dict[str, Any]:
        """``{"id": 1, "kind": "cadence", "every": [2, "weeks"], "at_time": "09:00", ...}``."""
        return {"id": self.id, "kind": self.kind, "every": list(self.every), "contact": self.contact,
                "tag": self.tag, "at_time": self.at_time.strftime("%H:%M"), "holidays": self.holidays,
                "reason": self.reason, "active": self.active,
                "created_at": None if self.created_at is None else self.created_at.isoformat()}


@dataclass(eq=True)
class Warmth:
    """How warm a relationship is, 0 (cold) to 100: each interaction adds ``100 * 0.5 ** (age /
    half_life)``, capped at 100.

    >>> crm.follow_ups.warmth(ada)   # doctest: +SKIP
    Warmth(contact #1: 50.0, last interaction 2026-05-02 12:00 UTC)
    """

    contact: int
    score: float
    last_interaction: _dt.datetime | None = None

    def __repr__(self) -> str:
        last = "never met" if self.last_interaction is None else \
            f"last interaction {self.last_interaction:%Y-%m-%d %H:%M} UTC"
        return f"Warmth(contact #{self.contact}: {self.score:.1f}, {last})"

    def to_dict(self) -> dict[str, Any]:
        """``{"contact": 1, "score": 50.0, "last_interaction": "2026-05-02T12:00:00+00:00"}``."""
        return {"contact": self.contact, "score": self.score,
                "last_interaction": None if self.last_interaction is None else self.last_interaction.isoformat()}


FollowUpRef = Union[int, FollowUp]
ContactRef = Union[int, Contact]
EventRef = Union[int, Event]
InteractionRef = Union[int, Interaction]
DueSpec = Union[_dt.datetime, _dt.date, _dt.timedelta]


# ---- the collection -------------------------------------------------------------------------------

class FollowUps:
    """``crm.follow_ups``: schedule, act on and query follow-ups, and manage the rules that make them.

    >>> fu = crm.follow_ups.schedule(ada, "Send the deck", due=timedelta(days=2))   # doctest: +SKIP
    >>> crm.follow_ups.complete(fu)                                                # doctest: +SKIP
    FollowUp #1 due 2026-03-04 09:00 Europe/Paris: Send the deck (done)
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    # -- helpers

    def _now(self, now: _dt.datetime | None) -> _dt.datetime:
        return self._core.now() if now is None else _aware(now, "now")

    def _due_args(self, due: Any, at_time: _dt.time, time_zone: Any, what: str) -> dict[str, Any]:
        """A due spec as the core's (at, day, time_of_day, time_zone)."""
        at_time, zone = _time_zone_of(at_time, _zone_name(time_zone))
        minutes = _minutes(at_time)
        if isinstance(due, _dt.datetime):
            return {"at": _aware(due, what), "day": None, "time_of_day": minutes, "time_zone": zone}
        if isinstance(due, _dt.date):
            return {"at": None, "day": due, "time_of_day": minutes, "time_zone": zone}
        if isinstance(due, _dt.timedelta):
            return {"at": self._core.now() + due, "day": None, "time_of_day": minutes, "time_zone": zone}
        raise TypeError(f"{what} must be an aware datetime, a date or a timedelta from now, not {type(due).__name__}")

    @staticmethod
    def _text(value: Any, what: str) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{what} must be a str, not {type(value).__name__}")
        return value

    # -- one follow-up

    def schedule(self, contact: ContactRef, reason: str, *, due: DueSpec, at_time: _dt.time = _dt.time(9),
                 time_zone: str | ZoneInfo | None = None, event: EventRef | None = None,
                 interaction: InteractionRef | None = None) -> FollowUp:
        """Schedules a follow-up for ``contact`` (a Contact or its id).

        ``due`` is an aware datetime (that instant), a date (that day at ``at_time``, 09:00 unless
        said, in ``time_zone`` or the user's zone) or a timedelta from now. An ``at_time`` with a
        ``ZoneInfo`` is on that zone's clock (a fixed-offset tzinfo is refused). ``event`` and
        ``interaction`` (objects or ids) say what it follows up on.

        >>> crm.follow_ups.schedule(ada, "Thank Ada for the intro", due=date(2026, 12, 1))  # doctest: +SKIP
        FollowUp #3 due 2026-12-01 09:00 Europe/Paris: Thank Ada for the intro (open)
        """
        args = self._due_args(due, at_time, time_zone, "due")
        return FollowUp._from_core(self._core.follow_up_schedule(
            _id_of(contact, "contact"),
            self._text(reason, "reason"), event=_opt_id(event, "event"),
            interaction=_opt_id(interaction, "interaction"), **args))

    def get(self, follow_up: FollowUpRef) -> FollowUp:
        """The follow-up with this id; raises :class:`netcrm.NotFound` (a ``KeyError``) when there is none.

        >>> crm.follow_ups.get(3).reason   # doctest: +SKIP
        'Thank Ada for the intro'
        """
        return FollowUp._from_core(self._core.follow_up_get(_id_of(follow_up, "follow-up")))

    def find(self, follow_up: FollowUpRef) -> FollowUp | None:
        """Like :meth:`get`, but ``None`` when there is none.

        >>> crm.follow_ups.find(999) is None   # doctest: +SKIP
        True
        """
        d = self._core.follow_up_find(_id_of(follow_up, "follow-up"))
        return None if d is None else FollowUp._from_core(d)

    def list(self, *, contact: ContactRef | None = None, status: Status | None = None, due_from: _dt.datetime | None = None,
             due_to: _dt.datetime | None = None, limit: int | None = None, offset: int = 0) -> builtins.list[FollowUp]:
        """Follow-ups by due time, then id: of one ``contact``, with a ``status`` (see
        :data:`FOLLOW_UP_STATUSES`), due at or after ``due_from`` and before ``due_to``.

        >>> [f.reason for f in crm.follow_ups.list(contact=ada, status="open")]   # doctest: +SKIP
        ['Thank Ada for the intro']
        """
        n, offset = _refs.limit(limit), _refs.whole(offset, "offset")
        start = None if due_from is None else _aware(due_from, "due_from")
        end = None if due_to is None else _aware(due_to, "due_to")
        _refs.period(start, end, (due_from, due_to), ("due_from", "due_to"))
        if n == 0:
            return []
        rows = self._core.follow_up_list(contact=_opt_id(contact, "contact"), status=status, due_from=start,
                                         due_to=end, limit=n or 0, offset=offset)
        return [FollowUp._from_core(d) for d in rows]

    def count(self, *, contact: ContactRef | None = None, status: Status | None = None) -> int:
        """How many follow-ups :meth:`list` would give for the same filters, without a limit.

        >>> crm.follow_ups.count(status="open")   # doctest: +SKIP
        12
        """
        return int(self._core.follow_up_count(contact=_opt_id(contact, "contact"), status=status))

    def to_pandas(self, *, contact: ContactRef | None = None, status: Status | None = None, due_from: _dt.datetime | None = None,
                  due_to: _dt.datetime | None = None) -> pandas.DataFrame:
        """The follow-ups (filtered as :meth:`list` filters them) as a pandas DataFrame, one row per
        follow-up by due time, indexed by ``id``. Needs pandas (``apt install python3-pandas``);
        raises ``ImportError`` saying so when it is missing.

        Columns: ``contact`` (``int64``); ``reason`` (``string``); ``due``, ``completed_at``,
        ``created_at``, ``updated_at`` (``datetime64[ns, UTC]``, ``NaT`` when none; the wall clock is
        ``time_zone``: ``df.due.dt.tz_convert(crm.time_zone)``); ``status`` (``category`` of
        :data:`FOLLOW_UP_STATUSES`); ``event``, ``interaction``, ``favor``, ``rule``,
        ``completed_by`` (``Int64``, nullable); ``sequence`` (``int64``).

        >>> df = crm.follow_ups.to_pandas(status="done")                       # doctest: +SKIP
        >>> (df.completed_at - df.due).median()                                # doctest: +SKIP
        """
        from ._analysis import follow_ups_frame

        return follow_ups_frame(self.list(contact=contact, status=status, due_from=due_from, due_to=due_to))

    def __iter__(self) -> Iterator[FollowUp]:
        return iter(self.list())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, follow_up: int) -> FollowUp:
        return self.get(follow_up)

    def __repr__(self) -> str:
        return f"<netcrm.FollowUps: {len(self)} follow-ups>"

    def __contains__(self, follow_up: object) -> bool:
        ident = follow_up.id if isinstance(follow_up, FollowUp) else follow_up
        if isinstance(ident, bool) or not isinstance(ident, int):
            return False
        return self._core.follow_up_find(ident) is not None

    def remove(self, follow_up: FollowUpRef) -> None:
        """Deletes a follow-up and its history (to keep a record, :meth:`cancel` it instead).

        >>> crm.follow_ups.remove(fu)   # doctest: +SKIP
        """
        self._core.follow_up_remove(_id_of(follow_up, "follow-up"))

    # -- actions

    def complete(self, follow_up: FollowUpRef, *, interaction: InteractionRef | None = None, at: _dt.datetime | None = None,
                 note: str = "") -> FollowUp:
        """Marks it done, optionally by an ``interaction`` and at an instant (default: now).

        A cadence's follow-up brings the next one, counted from then.

        >>> crm.follow_ups.complete(fu, interaction=coffee, note="done over coffee")   # doctest: +SKIP
        FollowUp #3 due ... (done)
        """
        return FollowUp._from_core(self._core.follow_up_complete(
            _id_of(follow_up, "follow-up"), by=_opt_id(interaction, "interaction"),
            at=None if at is None else _aware(at, "at"), note=self._text(note, "note")))

    def snooze(self, follow_up: FollowUpRef, *, by: _dt.timedelta | None = None,
               until: _dt.date | _dt.datetime | None = None, at_time: _dt.time = _dt.time(9),
               time_zone: str | ZoneInfo | None = None, note: str = "") -> FollowUp:
        """Puts it off ``by`` a timedelta (from now if already due) or ``until`` a day (at
        ``at_time``) or an aware datetime, which must be in the future.

        >>> crm.follow_ups.snooze(fu, by=timedelta(days=2))        # doctest: +SKIP
        >>> crm.follow_ups.snooze(fu, until=date(2026, 12, 7))     # doctest: +SKIP
        """
        ident = _id_of(follow_up, "follow-up")
        if (by is None) == (until is None):
            raise TypeError("snooze takes either by=timedelta or until=date|datetime")
        if by is not None:
            return FollowUp._from_core(self._core.follow_up_snooze(ident, _seconds(by, "by"), self._text(note, "note")))
        if isinstance(until, _dt.timedelta):
            raise TypeError("until must be a date or an aware datetime; use by= for a timedelta")
        args = self._due_args(until, at_time, time_zone, "until")
        return FollowUp._from_core(self._core.follow_up_snooze_until(ident, note=self._text(note, "note"), **args))

    def reschedule(self, follow_up: FollowUpRef, due: DueSpec, *, at_time: _dt.time = _dt.time(9),
                   time_zone: str | ZoneInfo | None = None, note: str = "") -> FollowUp:
        """Sets a new due time (an aware datetime, a date at ``at_time``, or a timedelta from now).

        >>> crm.follow_ups.reschedule(fu, date(2026, 12, 10), at_time=time(14))   # doctest: +SKIP
        """
        args = self._due_args(due, at_time, time_zone, "due")
        return FollowUp._from_core(self._core.follow_up_reschedule(
            _id_of(follow_up, "follow-up"), note=self._text(note, "note"), **args))

    def cancel(self, follow_up: FollowUpRef, *, note: str = "") -> FollowUp:
        """Cancels it (kept, with its history).

        >>> crm.follow_ups.cancel(fu, note="met them anyway").status   # doctest: +SKIP
        'cancelled'
        """
        return FollowUp._from_core(self._core.follow_up_cancel(_id_of(follow_up, "follow-up"),
                                                                self._text(note, "note")))

    def reopen(self, follow_up: FollowUpRef, *, note: str = "") -> FollowUp:
        """Opens a done or cancelled follow-up again.

        >>> crm.follow_ups.reopen(fu).status   # doctest: +SKIP
        'open'
        """
        return FollowUp._from_core(self._core.follow_up_reopen(_id_of(follow_up, "follow-up"),
                                                                self._text(note, "note")))

    def history(self, follow_up: FollowUpRef) -> builtins.list[FollowUpChange]:
        """Everything that happened to it, oldest first.

        >>> [c.action for c in crm.follow_ups.history(fu)]   # doctest: +SKIP
        ['created', 'snoozed']
        """
        return [FollowUpChange(d["at"], d["action"], d["due_before"], d["due_after"], d["note"])
                for d in self._core.follow_up_history(_id_of(follow_up, "follow-up"))]

    # -- queries

    @staticmethod
    def _dues(rows: Iterable[Mapping[str, Any]]) -> builtins.list[DueFollowUp]:
        return [DueFollowUp(FollowUp._from_core(d["follow_up"]), d["overdue"], _dt.timedelta(seconds=d["late"]))
                for d in rows]

    def due(self, *, now: _dt.datetime | None = None, limit: int | None = None) -> builtins.list[DueFollowUp]:
        """Open follow-ups due at or before ``now``, most urgent (earliest due) first.

        >>> crm.follow_ups.due(limit=20)   # doctest: +SKIP
        [OVERDUE by 1 day, 6:00:00: FollowUp #2 ..., due 2:00:00 ago: FollowUp #5 ...]
        """
        n = _refs.limit(limit)
        return [] if n == 0 else self._dues(self._core.follow_up_due(self._now(now), n or 0))

    def overdue(self, *, now: _dt.datetime | None = None, limit: int | None = None) -> builtins.list[DueFollowUp]:
        """Open follow-ups due on a day before today (in the user's zone), earliest first.

        >>> len(crm.follow_ups.overdue())   # doctest: +SKIP
        1
        """
        n = _refs.limit(limit)
        return [] if n == 0 else self._dues(self._core.follow_up_overdue(self._now(now), n or 0))

    def upcoming(self, days: int = 7, *, now: _dt.datetime | None = None,
                 limit: int | None = None) -> builtins.list[DueFollowUp]:
        """Open follow-ups due after ``now`` and up to the same wall-clock time ``days`` later, soonest first.

        >>> [d.follow_up.reason for d in crm.follow_ups.upcoming(days=3)]   # doctest: +SKIP
        ['Send the deck']
        """
        days, n = _refs.days(days), _refs.limit(limit)
        return [] if n == 0 else self._dues(self._core.follow_up_upcoming(self._now(now), days, n or 0))

    def going_cold(self, days: int = 90, *, now: _dt.datetime | None = None,
                   limit: int | None = None) -> builtins.list[QuietContact]:
        """Contacts you once talked to and have not in ``days`` (of 24 hours), those who went quiet
        most recently first. Contacts never met in the log are not listed (see
        ``crm.interactions.not_heard_from``).

        >>> [q.contact for q in crm.follow_ups.going_cold(90)]   # doctest: +SKIP
        [1, 4]
        """
        days, n = _refs.days(days), _refs.limit(limit)
        if n == 0:
            return []
        return [QuietContact(c, None if i is None or at is None else LastInteraction(c, i, at))
                for c, i, at in self._core.follow_up_going_cold(self._now(now), days, n or 0)]

    def warmth(self, contact: ContactRef, *, now: _dt.datetime | None = None,
               half_life: _dt.timedelta = _dt.timedelta(days=30)) -> Warmth:
        """How warm the relationship with ``contact`` is as of ``now``, 0 to 100 (see :class:`Warmth`).

        ``half_life`` is whole days: a conversation that long ago counts half.

        >>> crm.follow_ups.warmth(ada).score   # doctest: +SKIP
        50.0
        """
        if not isinstance(half_life, _dt.timedelta):
            raise TypeError(f"half_life must be a datetime.timedelta, not {type(half_life).__name__}")
        if half_life % _dt.timedelta(days=1):
            raise InvalidInput(f"half_life: whole days only, got {half_life}")
        half_days = _refs.days(half_life.days, "half_life (in days)", minimum=1)
        d = self._core.follow_up_warmth(_id_of(contact, "contact"), self._now(now), half_days)
        return Warmth(d["contact"], d["score"], d["last_interaction"])

    # -- rules

    def add_rule(self, kind: RuleKind, *, every: str | tuple[int, str] = (2, "business_days"), contact: ContactRef | None = None,
                 tag: str = "", at_time: _dt.time = _dt.time(9), holidays: str = "", reason: str = "",
                 active: bool = True) -> Rule:
        """Adds a rule (see :class:`Rule`); a cadence creates its follow-ups at once.

        ``every`` is ``"2 business days"``, ``"every 3 months"``, ``"week"`` or ``(2, "business_days")``.

        >>> crm.follow_ups.add_rule("after_event", every="2 business days", holidays="FR")  # doctest: +SKIP
        >>> crm.follow_ups.add_rule("cadence", every="1 month", contact=ada)               # doctest: +SKIP
        """
        rule = Rule(kind, _parse_every(every), _opt_id(contact, "contact"), tag, at_time, holidays, reason, active)
        return Rule._from_core(self._core.follow_up_rule_add(rule._to_core()))

    def get_rule(self, rule: int | Rule) -> Rule:
        """The rule with this id; raises :class:`netcrm.NotFound` when there is none.

        >>> crm.follow_ups.get_rule(1).kind   # doctest: +SKIP
        'cadence'
        """
        return Rule._from_core(self._core.follow_up_rule_get(_id_of(rule, "rule")))

    def rules(self) -> builtins.list[Rule]:
        """Every rule, in the order they were added.

        >>> [r.kind for r in crm.follow_ups.rules()]   # doctest: +SKIP
        ['cadence', 'after_event']
        """
        return [Rule._from_core(d) for d in self._core.follow_up_rules()]

    def update_rule(self, rule: Rule) -> Rule:
        """Saves a changed rule (its kind cannot change). A new step re-derives its open follow-ups;
        ``active=False`` cancels them.

        >>> r = crm.follow_ups.get_rule(1); r.every = (3, "weeks")   # doctest: +SKIP
        >>> crm.follow_ups.update_rule(r)                              # doctest: +SKIP
        """
        if not isinstance(rule, Rule):
            raise TypeError(f"update_rule takes a Rule, not {type(rule).__name__}")
        if rule.id is None:
            raise InvalidInput("this rule has not been added yet: use add_rule")
        return Rule._from_core(self._core.follow_up_rule_update(rule._to_core()))

    def remove_rule(self, rule: int | Rule) -> None:
        """Removes a rule: its open follow-ups are cancelled, done ones kept.

        >>> crm.follow_ups.remove_rule(1)   # doctest: +SKIP
        """
        self._core.follow_up_rule_remove(_id_of(rule, "rule"))

    def refresh_rules(self) -> int:
        """Brings cadence follow-ups in line with tags and interactions (a contact tagged since, one
        untagged); returns how many were created or moved.

        >>> crm.follow_ups.refresh_rules()   # doctest: +SKIP
        1
        """
        return int(self._core.follow_up_refresh_rules())

    def set_holidays(self, calendar: str, days: Mapping[_dt.date, str] | Iterable[_dt.date]) -> None:
        """Replaces a holiday calendar that business-day rules can skip: ``{date: name}`` or dates.

        >>> crm.follow_ups.set_holidays("FR", {date(2026, 5, 1): "Fête du Travail"})   # doctest: +SKIP
        """
        pairs = list(days.items()) if isinstance(days, Mapping) else [(d, "") for d in days]
        for d, name in pairs:
            if not isinstance(d, _dt.date) or isinstance(d, _dt.datetime):
                raise TypeError(f"holidays are datetime.date values, not {type(d).__name__}")
            self._text(name, "holiday name")
        self._core.follow_up_set_holidays(self._text(calendar, "calendar"), pairs)

    def holidays(self, calendar: str) -> builtins.list[_dt.date]:
        """The days of a holiday calendar, in order (empty for an unknown calendar).

        >>> crm.follow_ups.holidays("FR")   # doctest: +SKIP
        [datetime.date(2026, 5, 1)]
        """
        return list(self._core.follow_up_holidays(self._text(calendar, "calendar")))
