"""The interaction log: what happened between you and people, and ``crm.interactions``.

Log a conversation at a meetup, a call, a coffee: who was there, when, and what you learnt (what
they said, need and care about). Then ask who you last saw when, and who you have not heard from::

    crm.interactions.log("coffee", [ada, grace], notes="Ada needs a designer")
    crm.interactions.last(ada)              # LastInteraction(contact=1, interaction=1, at=...)
    crm.interactions.not_heard_from(90)     # [QuietContact(...), ...]

Instants are aware :class:`datetime.datetime` values; a naive one raises ``ValueError``.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .contact import Contact
from .events import Event
from . import _refs
from ._refs import paged, record_id
from ._time import aware as _check_aware, instant_or_day
from ._core import InvalidInput

if TYPE_CHECKING:
    import pandas  # type: ignore[import]  # optional, and without type stubs on Debian

    from . import _core

__all__ = ["INTERACTION_KINDS", "Interaction", "InteractionKind", "Interactions", "LastInteraction", "QuietContact"]

InteractionKind = Literal["conversation", "meeting", "call", "email", "message", "coffee", "meal", "other"]

#: The kinds an interaction can have, as ``crm.interactions.log`` accepts them.
INTERACTION_KINDS: tuple[str, ...] = ("conversation", "meeting", "call", "email", "message", "coffee", "meal",
                                      "other")

ContactRef = Union[int, Contact]
EventRef = Union[int, Event]


def _utc(at: _dt.datetime) -> _dt.datetime:
    return at.astimezone(_dt.timezone.utc)


def _in_zone(at: _dt.datetime, zone: str) -> _dt.datetime:
    """``at`` on the wall clock of ``zone`` (UTC when Python's tz database lacks the name)."""
    try:
        return at.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return at.astimezone(_dt.timezone.utc)


def _contact_id(ref: Any) -> int:
    return record_id(ref, "contact", Contact)


def _contact_ids(refs: Any) -> builtins.list[int]:
    """One contact or several, as ids."""
    if isinstance(refs, (Contact, int)):
        return [_contact_id(refs)]  # a bool is refused there
    if isinstance(refs, (str, bytes)):
        raise TypeError("contacts must be a Contact, a contact id, or a list of them, not a str")
    return [_contact_id(r) for r in refs]


def _event_id(ref: Any) -> int:
    """An event id from an int or anything with an ``id`` (a :class:`netcrm.Event`)."""
    return record_id(ref, "event", Event)


def _interaction_id(ref: Any) -> int:
    return record_id(ref, "interaction", Interaction, hint="log it first")


def _kind(kind: Any) -> str:
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a str such as 'coffee' (one of {', '.join(INTERACTION_KINDS)}), "
                        f"not {type(kind).__name__}")
    return kind


def _zone_of(at: _dt.datetime) -> str:
    """The IANA name of an aware datetime's zone when it has one (a ZoneInfo), else ``""``."""
    return at.tzinfo.key if isinstance(at.tzinfo, ZoneInfo) else ""


@dataclass(init=False, eq=True)
class Interaction:
    """Something that happened between you and one or more people.

    >>> from zoneinfo import ZoneInfo
    >>> i = Interaction("coffee", [1, 3], datetime(2026, 3, 2, 18, 30, tzinfo=ZoneInfo("Europe/Paris")),
    ...                 notes="Wants an intro to a hardware founder")   # doctest: +SKIP
    >>> crm.interactions.log(i)                                        # doctest: +SKIP

    ``kind`` is one of :data:`INTERACTION_KINDS`; ``contacts`` holds contact ids (``Contact``
    objects are accepted too); ``event`` the id of the event it happened at, if any. ``at`` is
    an aware datetime, returned by the store in UTC like every instant (``local_at`` is it on the
    wall clock of ``time_zone``, an IANA name such as ``"Europe/Paris"``); left empty,
    ``time_zone`` is ``at``'s zone when that is a ``ZoneInfo``, else the store decides (the
    event's zone, else ``crm.time_zone``). ``id``, ``created_at`` and ``updated_at`` are set by
    the store.
    """

    kind: str
    contacts: list[int]
    at: _dt.datetime | None
    event: int | None
    time_zone: str
    notes: str
    id: int | None
    created_at: _dt.datetime | None
    updated_at: _dt.datetime | None

    def __init__(self, kind: str = "conversation", contacts: Iterable[ContactRef] | ContactRef = (),
                 at: _dt.datetime | None = None, *, event: EventRef | None = None, time_zone: str = "", notes: str = "",
                 id: int | None = None, created_at: _dt.datetime | None = None,
                 updated_at: _dt.datetime | None = None) -> None:
        self.kind = _kind(kind)
        self.contacts = _contact_ids(contacts)
        self.at = None if at is None else _check_aware(at, "at")
        self.event = None if event is None else _event_id(event)
        # An `at` in a ZoneInfo says which wall clock it was on; "" leaves it to the store.
        self.time_zone = time_zone or ("" if self.at is None else _zone_of(self.at))
        self.notes = notes
        self.id = id
        self.created_at = created_at
        self.updated_at = updated_at

    @property
    def local_at(self) -> _dt.datetime | None:
        """``at`` on the wall clock of ``time_zone`` (``at`` itself while that is empty).

        >>> Interaction("call", [2], datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.timezone.utc),
        ...             time_zone="Asia/Kolkata").local_at.isoformat()
        '2026-03-02T13:30:00+05:30'
        """
        if self.at is None or not self.time_zone:
            return self.at
        return _in_zone(self.at, self.time_zone)

    def __repr__(self) -> str:
        bits = [f"id={self.id}" if self.id is not None else "unsaved", repr(self.kind)]
        local = self.local_at
        if local is not None:
            bits.append(local.isoformat(sep=" ") + (f" {self.time_zone}" if self.time_zone else ""))
        bits.append(f"contacts={self.contacts!r}")
        if self.event is not None:
            bits.append(f"event={self.event}")
        if self.notes:
            notes = self.notes if len(self.notes) <= 40 else self.notes[:39] + "…"
            bits.append(f"notes={notes!r}")
        return f"Interaction({', '.join(bits)})"

    def __str__(self) -> str:
        local = self.local_at
        when = local.strftime("%Y-%m-%d %H:%M") + (f" ({self.time_zone})" if self.time_zone else "") \
            if local is not None else "unsaved"
        line = f"{when} {self.kind} with " + ", ".join(f"#{c}" for c in self.contacts)
        if self.event is not None:
            line += f" at event #{self.event}"
        if self.notes:
            line += "\n  " + self.notes.replace("\n", "\n  ")
        return line

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: instants as ISO 8601 strings (``at`` as it is, in UTC once stored;
        ``local_at`` on the interaction's wall clock).

        >>> Interaction("call", [2]).to_dict()["kind"]
        'call'
        """
        def iso(t: _dt.datetime | None) -> str | None:
            return None if t is None else t.isoformat()

        return {"id": self.id, "kind": self.kind, "contacts": builtins.list(self.contacts), "event": self.event,
                "at": iso(self.at), "local_at": iso(self.local_at), "time_zone": self.time_zone, "notes": self.notes,
                "created_at": iso(self.created_at), "updated_at": iso(self.updated_at)}

    # -- crossing to and from the C++ core --------------------------------------------------

    def _to_core(self, now: _dt.datetime | None = None) -> dict[str, Any]:
        at = self.at if self.at is not None else now
        if at is None:
            raise InvalidInput("this interaction has no time: set at")
        return {"id": self.id, "kind": _kind(self.kind), "contacts": _contact_ids(self.contacts),
                "event": None if self.event is None else _event_id(self.event), "at": _utc(_check_aware(at, "at")),
                "time_zone": self.time_zone, "notes": self.notes}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Interaction:
        return cls(d["kind"], d["contacts"], d["at"], event=d["event"],
                   time_zone=d["time_zone"], notes=d["notes"], id=d["id"], created_at=d["created_at"],
                   updated_at=d["updated_at"])


@dataclass(frozen=True)
class LastInteraction:
    """The last time you interacted with a contact: the contact's id, the interaction's id, when (UTC).

    >>> LastInteraction(1, 7, datetime(2026, 3, 2, 17, 30, tzinfo=timezone.utc))  # doctest: +SKIP
    LastInteraction(contact=1, interaction=7, at=datetime.datetime(2026, 3, 2, 17, 30, tzinfo=...))
    """

    contact: int
    interaction: int
    at: _dt.datetime

    def __str__(self) -> str:
        return f"#{self.contact}: last seen {self.at:%Y-%m-%d %H:%M} UTC (interaction #{self.interaction})"

    def to_dict(self) -> dict[str, Any]:
        """``{"contact": 1, "interaction": 7, "at": "2026-03-02T17:30:00+00:00"}``."""
        return {"contact": self.contact, "interaction": self.interaction, "at": self.at.isoformat()}

    @classmethod
    def _from_core(cls, t: tuple[int, int, _dt.datetime]) -> LastInteraction:
        return cls(t[0], t[1], t[2])


@dataclass(frozen=True)
class QuietContact:
    """A contact you have not heard from: ``last`` is ``None`` when you never interacted.

    >>> q = QuietContact(4, None)
    >>> q.silent_for(datetime(2026, 6, 1, tzinfo=timezone.utc)) is None   # doctest: +SKIP
    True
    """

    contact: int
    last: LastInteraction | None

    def silent_for(self, now: _dt.datetime) -> _dt.timedelta | None:
        """How long since the last interaction, as of ``now``; ``None`` when there was none."""
        return None if self.last is None else _check_aware(now, "now") - self.last.at

    def __str__(self) -> str:
        return f"#{self.contact}: never met in the log" if self.last is None else str(self.last)

    def to_dict(self) -> dict[str, Any]:
        """``{"contact": 4, "last": None}`` or with ``last`` as :meth:`LastInteraction.to_dict`."""
        return {"contact": self.contact, "last": None if self.last is None else self.last.to_dict()}


class Interactions:
    """The interaction log of an open database: ``crm.interactions``.

    >>> ada = crm.contacts.add(display_name="Ada Lovelace")                         # doctest: +SKIP
    >>> crm.interactions.log("coffee", ada, notes="Needs a designer")              # doctest: +SKIP
    Interaction(id=1, 'coffee', 2026-03-02 18:30:00+01:00 Europe/Paris, contacts=[1], notes='Needs a designer')
    >>> crm.interactions.with_contact(ada)                                         # doctest: +SKIP

    ``len(crm.interactions)``, ``for i in crm.interactions`` (oldest first), ``crm.interactions[id]``
    and ``id in crm.interactions`` work as on a dict keyed by id.
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    def log(self, kind: str | Interaction, contacts: Iterable[ContactRef] | ContactRef = (), *,
            at: _dt.datetime | None = None, event: EventRef | None = None, notes: str = "",
            time_zone: str | None = None) -> Interaction:
        """Records an interaction and returns it as stored.

        ``contacts``: one contact or a list (``Contact`` objects or ids), at least one, each once.
        ``at`` (aware) defaults to now by the database's clock. ``event`` is an ``Event`` or its id.
        ``time_zone`` (an IANA name) is the wall clock it happened on; left out, it is ``at``'s own
        zone when ``at`` carries a ``ZoneInfo``, else the event's, else the database's
        (``crm.time_zone``). Raises :class:`netcrm.NotFound` naming a missing contact or event,
        :class:`netcrm.InvalidInput` for no contact, a contact twice, an unknown kind or zone.

        >>> crm.interactions.log("call", [ada, grace],                            # doctest: +SKIP
        ...                      at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/New_York")),
        ...                      notes="Grace is hiring; Ada cares about open source")

        An :class:`Interaction` can be passed instead: ``log(Interaction("meal", [ada]))``.
        """
        if isinstance(kind, Interaction):
            i = kind
            if contacts or at is not None or event is not None or notes or time_zone is not None:
                i = dataclasses.replace(i)
                if contacts:
                    i.contacts = _contact_ids(contacts)
                if at is not None:
                    i.at = _check_aware(at, "at")
                if event is not None:
                    i.event = _event_id(event)
                if notes:
                    i.notes = notes
                if time_zone is not None:
                    i.time_zone = time_zone
        else:
            if at is not None:
                _check_aware(at, "at")
            i = Interaction(_kind(kind), _contact_ids(contacts), at, event=event, notes=notes,
                            time_zone=time_zone or "")
        d = i._to_core(self._core.now() if i.at is None else None)
        d["id"] = None
        return Interaction._from_core(self._core.interaction_log(d))

    def get(self, interaction: int | Interaction) -> Interaction:
        """The logged interaction with this id; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.interactions.get(1).kind                                           # doctest: +SKIP
        'coffee'
        """
        return Interaction._from_core(self._core.interaction_get(_interaction_id(interaction)))

    def find(self, interaction: int | Interaction) -> Interaction | None:
        """Like :meth:`get`, but ``None`` when there is no such interaction.

        >>> crm.interactions.find(12345) is None                                   # doctest: +SKIP
        True
        """
        d = self._core.interaction_find(_interaction_id(interaction))
        return None if d is None else Interaction._from_core(d)

    def update(self, interaction: Interaction, /, **fields: Any) -> Interaction:
        """Saves the changes to a logged interaction (all its fields) and returns it as stored.

        ``update(i, notes="...")`` changes just that field of ``i`` first. ``time_zone=""`` takes
        the event's zone again, else the database's.

        >>> i = crm.interactions.log("call", ada)                                  # doctest: +SKIP
        >>> crm.interactions.update(i, kind="meeting", contacts=[ada, grace])      # doctest: +SKIP
        """
        if fields:
            if "contacts" in fields:
                fields["contacts"] = _contact_ids(fields["contacts"])
            if "event" in fields and fields["event"] is not None:
                fields["event"] = _event_id(fields["event"])
            if fields.get("at") is not None:
                _check_aware(fields["at"], "at")
            interaction = dataclasses.replace(interaction, **fields)
            if fields.get("time_zone") == "":
                interaction.time_zone = ""  # not at's zone: asked to resolve it again
        _interaction_id(interaction)
        return Interaction._from_core(self._core.interaction_update(interaction._to_core()))

    def remove(self, interaction: int | Interaction) -> None:
        """Deletes an interaction; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.interactions.remove(i)                                             # doctest: +SKIP
        """
        self._core.interaction_remove(_interaction_id(interaction))

    def list(self, *, contact: ContactRef | None = None, event: EventRef | None = None, kind: str | None = None,
             start: _dt.datetime | _dt.date | None = None, end: _dt.datetime | _dt.date | None = None, newest_first: bool = False,
             limit: int | None = None, offset: int = 0) -> builtins.list[Interaction]:
        """Interactions in time order (oldest first unless ``newest_first``), then id.

        ``contact``, ``event`` and ``kind`` keep those with that contact among the people, at that
        event, of that kind; ``start`` (included) and ``end`` (excluded) bound ``at``: aware
        datetimes, or dates taken at midnight on your wall clock (``crm.time_zone``).

        >>> crm.interactions.list(contact=ada, kind="coffee", newest_first=True, limit=5)  # doctest: +SKIP
        """
        n, offset = _refs.limit(limit), _refs.whole(offset, "offset")
        if n == 0:
            return []
        c, e, k, s, t = self._filter(contact, event, kind, start, end)
        rows = self._core.interaction_list(c, e, k, s, t, newest_first, n or 0, offset)
        return [Interaction._from_core(d) for d in rows]

    def count(self, *, contact: ContactRef | None = None, event: EventRef | None = None, kind: str | None = None,
              start: _dt.datetime | _dt.date | None = None, end: _dt.datetime | _dt.date | None = None) -> int:
        """How many interactions match the same filters as :meth:`list`.

        >>> crm.interactions.count(kind="coffee")                                  # doctest: +SKIP
        3
        """
        c, e, k, s, t = self._filter(contact, event, kind, start, end)
        return self._core.interaction_count(c, e, k, s, t)

    def to_pandas(self, *, contact: ContactRef | None = None, event: EventRef | None = None, kind: str | None = None,
                  start: _dt.datetime | _dt.date | None = None, end: _dt.datetime | _dt.date | None = None) -> pandas.DataFrame:
        """The interactions (filtered as :meth:`list` filters them) as a pandas DataFrame, one row per
        interaction, oldest first, indexed by ``id``. Needs pandas (``apt install python3-pandas``);
        raises ``ImportError`` saying so when it is missing.

        Columns: ``at``, ``created_at``, ``updated_at`` (``datetime64[ns, UTC]``; the wall clock it
        happened on is ``time_zone``, ``string``); ``kind`` (``category`` of
        :data:`INTERACTION_KINDS`); ``contacts`` (a list of contact ids: ``df.explode("contacts")``
        gives one row per person); ``event`` (``Int64``, ``<NA>`` when none); ``notes`` (``string``).

        >>> df = crm.interactions.to_pandas(start=datetime(2026, 1, 1, tzinfo=timezone.utc))  # doctest: +SKIP
        >>> df.groupby([df.at.dt.to_period("M"), "kind"]).size()                              # doctest: +SKIP
        """
        from ._analysis import interactions_frame

        return interactions_frame(self._core, self._filter(contact, event, kind, start, end))

    def _filter(self, contact: Any, event: Any, kind: Any, start: Any,
                end: Any) -> tuple[int | None, int | None, str | None, _dt.datetime | None, _dt.datetime | None]:
        s, t = self._bound(start, "start"), self._bound(end, "end")
        _refs.period(s, t, (start, end))
        return (None if contact is None else _contact_id(contact), None if event is None else _event_id(event),
                None if kind is None else _kind(kind), s, t)

    def _bound(self, t: Any, what: str) -> _dt.datetime | None:
        # A date is midnight starting it on your wall clock (crm.time_zone), as crm.events.list reads it.
        return instant_or_day(t, what, self._core.time_zone)

    def with_contact(self, contact: ContactRef) -> builtins.list[Interaction]:
        """Everything with a contact, oldest first; raises :class:`netcrm.NotFound` for an unknown one.

        >>> for i in crm.interactions.with_contact(ada):                           # doctest: +SKIP
        ...     print(i)
        """
        return [Interaction._from_core(d) for d in self._core.interaction_with_contact(_contact_id(contact))]

    def last(self, contact: ContactRef) -> LastInteraction | None:
        """The last interaction with a contact (latest ``at``, then id), or ``None`` if never.

        >>> crm.interactions.last(ada)                                             # doctest: +SKIP
        LastInteraction(contact=1, interaction=4, at=datetime.datetime(2026, 3, 2, 17, 30, tzinfo=...))
        """
        t = self._core.interaction_last_with(_contact_id(contact))
        return None if t is None else LastInteraction._from_core(t)

    def last_per_contact(self) -> builtins.list[LastInteraction]:
        """The last interaction of every contact that has one, most recent first.

        >>> {l.contact: l.at for l in crm.interactions.last_per_contact()}           # doctest: +SKIP
        """
        return [LastInteraction._from_core(t) for t in self._core.interaction_last_per_contact()]

    def not_heard_from(self, days: int = 90, *, now: _dt.datetime | None = None) -> builtins.list[QuietContact]:
        """Contacts with no interaction in the ``days`` (of 24 hours) before ``now``.

        ``now`` (aware) defaults to the database's clock; interactions after it do not count, so a
        past ``now`` answers "as of then". One exactly ``days`` ago counts as heard from. Contacts
        never met in the log come first (by name), then the longest silent.

        >>> [q.contact for q in crm.interactions.not_heard_from(30)]                # doctest: +SKIP
        [4, 2]
        """
        days = _refs.days(days)
        when = self._core.now() if now is None else _check_aware(now, "now")
        return [QuietContact(c, None if last is None else LastInteraction._from_core(last))
                for c, last in self._core.interaction_not_heard_from(days, _utc(when))]

    def __getitem__(self, interaction: int) -> Interaction:
        return self.get(interaction)

    def __contains__(self, interaction: object) -> bool:
        if isinstance(interaction, Interaction):
            return interaction.id is not None and self._core.interaction_find(interaction.id) is not None
        if isinstance(interaction, int) and not isinstance(interaction, bool):
            return self._core.interaction_find(interaction) is not None
        return False

    def __iter__(self) -> Iterator[Interaction]:
        # Pages, so a long log is not loaded into memory at once.
        return paged(lambda limit, offset: self._core.interaction_list(None, None, None, None, None, False, limit,
                                                                       offset), Interaction._from_core)

    def __len__(self) -> int:
        return self.count()

    def __repr__(self) -> str:
        return f"<netcrm.Interactions: {len(self)} interactions>"
