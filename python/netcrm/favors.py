"""The reciprocity ledger: favours given and received, introductions, asks, and ``crm.favors``.

Being useful is how a business card becomes a relationship. Record what you did for people and
what they did for you, who introduced whom, and what people are looking for; then ask whom you owe
and whom you could help::

    crm.favors.give(ada, "advice", note="pricing page review")
    crm.favors.receive(grace, "referral", weight=3, thank=True)   # and a thank-you follow-up
    crm.favors.introduce(ada, grace)                              # you introduce Ada to Grace
    crm.favors.introduced_to(dan, by=carol)                       # Carol introduces you to Dan
    crm.favors.ask(ada, "a designer for her landing page")
    crm.favors.owed()          # [Balance(#2 Grace: given 0, received 3, balance -3), ...]
    crm.favors.could_help()    # open asks, of those you owe most first

**The balance rule.** A contact's balance is the sum of the weights of the favours *done* that
you gave them minus those they gave you; offered and declined favours do not count. Positive: you
helped them more; negative: you owe them. An introduction you make counts as a favour given to
both people; one made for you counts as a favour received from the introducer only.

Dates are :class:`datetime.date` values; a favour recorded without one is dated today on the
database's wall clock (:attr:`netcrm.CRM.time_zone`).
"""

from __future__ import annotations

import builtins
import math
import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Literal, Union

from .contact import Contact
from . import _refs
from ._core import InvalidInput
from ._refs import record_id

if TYPE_CHECKING:
    import pandas  # type: ignore[import]  # optional, and without type stubs on Debian

    from . import _core

__all__ = ["ASK_STATUSES", "Ask", "Balance", "FAVOR_KINDS", "FAVOR_STATUSES", "Favor", "Favors", "Introduction"]

FavorKind = Literal["advice", "introduction", "referral", "guest_post", "cross_post", "resource", "loan", "other"]
FavorStatus = Literal["offered", "done", "declined"]
Direction = Literal["given", "received"]
AskStatus = Literal["open", "met", "dropped"]

#: The kinds of favour (``"guest post"`` and ``"guest-post"`` are accepted for ``"guest_post"``).
FAVOR_KINDS: tuple[str, ...] = ("advice", "introduction", "referral", "guest_post", "cross_post", "resource", "loan",
                                "other")
#: What became of a favour: only ``"done"`` ones count in a balance.
FAVOR_STATUSES: tuple[str, ...] = ("offered", "done", "declined")
#: What became of an ask.
ASK_STATUSES: tuple[str, ...] = ("open", "met", "dropped")

ContactRef = Union[int, Contact]


def _contact_id(ref: Any, what: str = "contact") -> int:
    return record_id(ref, "contact", Contact, field=what)


def _record_id(ref: Any, cls: type, what: str) -> int:
    return record_id(ref, what, cls)


def _date(on: Any, what: str = "on") -> _dt.date | None:
    if on is None:
        return None
    if isinstance(on, _dt.datetime) or not isinstance(on, _dt.date):
        raise TypeError(f"{what} must be a datetime.date (a calendar day), not {type(on).__name__}")
    return on


def _span(start: Any, end: Any) -> tuple[_dt.date | None, _dt.date | None]:
    # The store refuses a span that ends before it starts ("start ... is after end ...").
    return _date(start, "start"), _date(end, "end")


def _weight(weight: Any) -> float:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) and not hasattr(weight, "__float__"):
        raise TypeError(f"weight must be a number such as 1 or 2.5, not {type(weight).__name__}")
    try:
        value = float(weight)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise InvalidInput(f"weight must be a finite number such as 1 or 2.5, not {value}")
    return value


def _name(value: Any, what: str, accepted: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str (one of {', '.join(accepted)}), not {type(value).__name__}")
    return value


def _number(x: float) -> str:
    return f"{x:g}"


@dataclass(init=False, eq=True)
class Favor:
    """One favour, given to or received from a contact.

    >>> Favor(3, "guest post", direction="received", weight=2, on=datetime.date(2026, 2, 14))
    Favor(unsaved, received from #3, 'guest_post', weight 2, 2026-02-14, done)

    ``contact`` is a contact id (a :class:`Contact` is accepted); ``kind`` one of
    :data:`FAVOR_KINDS`; ``weight`` (> 0) how much it mattered, 1 an ordinary favour; ``on`` the
    day (``None``: today when stored); ``status`` one of :data:`FAVOR_STATUSES`. ``introduction``
    is the id of the :class:`Introduction` it counts for, set by the store.
    """

    contact: int
    kind: str
    direction: str
    weight: float
    on: _dt.date | None
    note: str
    status: str
    introduction: int | None
    id: int | None
    created_at: _dt.datetime | None
    updated_at: _dt.datetime | None

    def __init__(self, contact: ContactRef, kind: str = "other", *, direction: str = "given", weight: float = 1,
                 on: _dt.date | None = None, note: str = "", status: str = "done", introduction: int | None = None,
                 id: int | None = None, created_at: _dt.datetime | None = None,
                 updated_at: _dt.datetime | None = None) -> None:
        self.contact = _contact_id(contact)
        # Spelled as the store spells it, so that a Favor built by hand compares equal to it stored.
        self.kind = _name(kind, "kind", FAVOR_KINDS).strip().lower().replace(" ", "_").replace("-", "_")
        self.direction = _name(direction, "direction", ("given", "received"))
        self.weight = _weight(weight)
        self.on = _date(on)
        self.note = note
        self.status = _name(status, "status", FAVOR_STATUSES)
        self.introduction = introduction
        self.id = id
        self.created_at = created_at
        self.updated_at = updated_at

    def __repr__(self) -> str:
        who = f"given to #{self.contact}" if self.direction == "given" else f"received from #{self.contact}"
        bits = [f"id={self.id}" if self.id is not None else "unsaved", who, repr(self.kind),
                f"weight {_number(self.weight)}"]
        if self.on is not None:
            bits.append(self.on.isoformat())
        bits.append(self.status)
        if self.introduction is not None:
            bits.append(f"introduction={self.introduction}")
        if self.note:
            note = self.note if len(self.note) <= 40 else self.note[:39] + "…"
            bits.append(f"note={note!r}")
        return f"Favor({', '.join(bits)})"

    def __str__(self) -> str:
        arrow = "to" if self.direction == "given" else "from"
        when = self.on.isoformat() if self.on is not None else "today"
        line = f"{when} {self.kind.replace('_', ' ')} {self.direction} {arrow} #{self.contact}"
        if self.weight != 1:
            line += f" (weight {_number(self.weight)})"
        if self.status != "done":
            line += f" [{self.status}]"
        if self.note:
            line += f": {self.note}"
        return line

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the day as ``YYYY-MM-DD``, instants as ISO 8601 strings.

        >>> Favor(3, "loan", on=datetime.date(2026, 2, 1)).to_dict()["on"]
        '2026-02-01'
        """
        return {"id": self.id, "direction": self.direction, "contact": self.contact, "kind": self.kind,
                "weight": self.weight, "on": None if self.on is None else self.on.isoformat(), "note": self.note,
                "status": self.status, "introduction": self.introduction,
                "created_at": None if self.created_at is None else self.created_at.isoformat(),
                "updated_at": None if self.updated_at is None else self.updated_at.isoformat()}

    def _to_core(self) -> dict[str, Any]:
        return {"id": self.id, "direction": self.direction, "contact": _contact_id(self.contact), "kind": self.kind,
                "weight": _weight(self.weight), "on": _date(self.on), "note": self.note, "status": self.status,
                "introduction": self.introduction}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Favor:
        return cls(d["contact"], d["kind"], direction=d["direction"], weight=d["weight"], on=d["on"], note=d["note"],
                   status=d["status"], introduction=d["introduction"], id=d["id"], created_at=d["created_at"],
                   updated_at=d["updated_at"])


@dataclass(frozen=True)
class Introduction:
    """Who introduced whom. Either you introduced ``first`` to ``second`` (``introducer`` is
    ``None``), or ``introducer`` introduced you to ``second`` (``first`` is ``None``).

    >>> Introduction(id=1, introducer=None, first=2, second=5, on=datetime.date(2026, 2, 20))
    Introduction(id=1, you introduced #2 to #5, 2026-02-20)
    >>> Introduction(id=2, introducer=7, first=None, second=5, on=datetime.date(2026, 2, 21))
    Introduction(id=2, #7 introduced you to #5, 2026-02-21)

    When a contact is deleted its place becomes ``None``: an introduction with neither
    ``introducer`` nor ``first`` has lost its other party.
    """

    id: int
    introducer: int | None
    first: int | None
    second: int
    on: _dt.date
    note: str = ""
    created_at: _dt.datetime | None = None

    @property
    def by_you(self) -> bool:
        """True when you made the introduction (of ``first`` to ``second``)."""
        return self.introducer is None and self.first is not None

    def _what(self) -> str:
        if self.introducer is not None:
            return f"#{self.introducer} introduced you to #{self.second}"
        if self.first is not None:
            return f"you introduced #{self.first} to #{self.second}"
        return f"an introduction to #{self.second} (the other party was deleted)"

    def __repr__(self) -> str:
        bits = [f"id={self.id}", self._what(), self.on.isoformat()]
        if self.note:
            bits.append(f"note={self.note!r}")
        return f"Introduction({', '.join(bits)})"

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self._what()}" + (f": {self.note}" if self.note else "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        >>> Introduction(1, None, 2, 5, datetime.date(2026, 2, 20)).to_dict()["on"]
        '2026-02-20'
        """
        return {"id": self.id, "introducer": self.introducer, "first": self.first, "second": self.second,
                "on": self.on.isoformat(), "note": self.note,
                "created_at": None if self.created_at is None else self.created_at.isoformat()}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Introduction:
        return cls(d["id"], d["introducer"], d["first"], d["second"], d["on"], d["note"], d["created_at"])


@dataclass(frozen=True)
class Ask:
    """What a contact needs or is looking for: where you could help.

    >>> Ask(id=4, contact=2, text="a designer for the landing page", status="open")
    Ask(id=4, #2: 'a designer for the landing page', open)
    """

    id: int
    contact: int
    text: str
    status: str = "open"
    created_at: _dt.datetime | None = None
    closed_at: _dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        """True until the ask is closed as met or dropped."""
        return self.status == "open"

    def __repr__(self) -> str:
        return f"Ask(id={self.id}, #{self.contact}: {self.text!r}, {self.status})"

    def __str__(self) -> str:
        return f"#{self.contact} needs {self.text}" + ("" if self.is_open else f" [{self.status}]")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        >>> Ask(4, 2, "beta testers").to_dict()["status"]
        'open'
        """
        return {"id": self.id, "contact": self.contact, "text": self.text, "status": self.status,
                "created_at": None if self.created_at is None else self.created_at.isoformat(),
                "closed_at": None if self.closed_at is None else self.closed_at.isoformat()}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Ask:
        return cls(d["id"], d["contact"], d["text"], d["status"], d["created_at"], d["closed_at"])


@dataclass(frozen=True)
class Balance:
    """Where you stand with one contact: the weights of done favours given, received, and
    ``balance = given - received`` (negative: you owe them).

    >>> Balance(contact=2, given=1.0, received=3.5, balance=-2.5)
    Balance(#2: given 1, received 3.5, balance -2.5)
    """

    contact: int
    given: float
    received: float
    balance: float
    last_received: _dt.date | None = None

    @property
    def owed(self) -> bool:
        """True when they helped you more than you helped them."""
        return self.balance < 0

    def __repr__(self) -> str:
        return (f"Balance(#{self.contact}: given {_number(self.given)}, received {_number(self.received)}, "
                f"balance {_number(self.balance)})")

    def __str__(self) -> str:
        if self.balance < 0:
            return f"you owe #{self.contact} {_number(-self.balance)}"
        if self.balance > 0:
            return f"#{self.contact} owes you {_number(self.balance)}"
        return f"even with #{self.contact}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        >>> Balance(2, 1.0, 3.5, -2.5).to_dict()["balance"]
        -2.5
        """
        return {"contact": self.contact, "given": self.given, "received": self.received, "balance": self.balance,
                "last_received": None if self.last_received is None else self.last_received.isoformat()}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Balance:
        return cls(d["contact"], d["given"], d["received"], d["balance"], d["last_received"])


class Favors:
    """The reciprocity ledger of an open database: ``crm.favors``.

    >>> crm.favors.give(ada, "advice", on=datetime.date(2026, 2, 3))   # doctest: +SKIP
    Favor(id=1, given to #1, 'advice', weight 1, 2026-02-03, done)
    >>> crm.favors.balance(ada)                                         # doctest: +SKIP
    Balance(#1: given 1, received 0, balance 1)

    ``len(crm.favors)``, ``for f in crm.favors`` (date order), ``crm.favors[id]`` and
    ``id in crm.favors`` work as on a dict of favours keyed by id.
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    # -- favours ------------------------------------------------------------------------------

    def give(self, contact: ContactRef, kind: str, *, on: _dt.date | None = None, weight: float = 1,
             note: str = "", status: str = "done") -> Favor:
        """Records a favour you did for ``contact`` and returns it as stored.

        >>> crm.favors.give(ada, "guest post", weight=2, note="wrote for her blog")  # doctest: +SKIP
        Favor(id=2, given to #1, 'guest_post', weight 2, 2026-03-01, done, note='wrote for her blog')

        ``on`` defaults to today on the database's wall clock; ``status="offered"`` records an
        offer (it counts once you update it to ``"done"``). Raises :class:`netcrm.InvalidInput`
        for an unknown kind or a weight <= 0, :class:`netcrm.NotFound` for an unknown contact.
        """
        return self.add(Favor(contact, kind, direction="given", weight=weight, on=on, note=note, status=status))

    def receive(self, contact: ContactRef, kind: str, *, on: _dt.date | None = None, weight: float = 1,
                note: str = "", status: str = "done", thank: bool = False) -> Favor:
        """Records a favour ``contact`` did for you and returns it as stored.

        >>> crm.favors.receive(grace, "referral", weight=3, thank=True)  # doctest: +SKIP
        Favor(id=3, received from #2, 'referral', weight 3, 2026-03-01, done)

        A favour received (done) runs the follow-up rules for favours; ``thank=True`` also
        schedules a thank-you follow-up for the next business day at 09:00 on your wall clock (it
        needs the favour done).
        """
        return self.add(Favor(contact, kind, direction="received", weight=weight, on=on, note=note, status=status),
                        thank=thank)

    def add(self, favor: Favor | None = None, /, *, thank: bool = False, **fields: Any) -> Favor:
        """Records a :class:`Favor` (or one built from ``fields``) and returns it as stored.

        >>> crm.favors.add(Favor(ada, "loan", direction="received", weight=5))  # doctest: +SKIP
        """
        if favor is None:
            favor = Favor(**fields)
        elif fields:
            raise TypeError("pass a Favor or its fields as keywords, not both")
        if not isinstance(favor, Favor):
            raise TypeError(f"add takes a Favor (or its fields as keywords), not {type(favor).__name__}")
        return Favor._from_core(self._core.favor_add(favor._to_core(), bool(thank)))

    def get(self, favor: Favor | int) -> Favor:
        """The favour with this id; raises :class:`netcrm.NotFound` if there is none.

        >>> crm.favors.get(1).kind  # doctest: +SKIP
        'advice'
        """
        return Favor._from_core(self._core.favor_get(_record_id(favor, Favor, "a favour")))

    def find(self, favor: Favor | int) -> Favor | None:
        """Like :meth:`get`, but ``None`` when there is no such favour.

        >>> crm.favors.find(12345) is None  # doctest: +SKIP
        True
        """
        d = self._core.favor_find(_record_id(favor, Favor, "a favour"))
        return None if d is None else Favor._from_core(d)

    def update(self, favor: Favor, /, **fields: Any) -> Favor:
        """Saves the changes to a stored favour and returns it as stored.

        >>> crm.favors.update(f, status="done", weight=2)  # doctest: +SKIP

        A favour that counts for an introduction may change its weight, day, note and status
        (``"declined"`` stops it counting); its contact, direction and kind come from the
        introduction and are refused (:class:`netcrm.InvalidInput`).
        """
        if not isinstance(favor, Favor):
            raise TypeError(f"update takes a Favor (from get or list), not {type(favor).__name__}")
        _record_id(favor, Favor, "a favour")
        if fields:
            d = {k: getattr(favor, k) for k in ("contact", "kind", "direction", "weight", "on", "note", "status",
                                                "introduction", "id", "created_at", "updated_at")}
            unknown = set(fields) - set(d)
            if unknown:
                raise TypeError(f"unknown favour field(s): {', '.join(sorted(unknown))}")
            d.update(fields)
            favor = Favor(**d)
        return Favor._from_core(self._core.favor_update(favor._to_core()))

    def remove(self, favor: Favor | int) -> None:
        """Deletes a favour. One that counts for an introduction goes only with it
        (:meth:`remove_introduction`); raises :class:`netcrm.InvalidInput` otherwise.

        >>> crm.favors.remove(f)  # doctest: +SKIP
        """
        self._core.favor_remove(_record_id(favor, Favor, "a favour"))

    def list(self, *, contact: ContactRef | None = None, direction: str | None = None, kind: str | None = None,
             status: str | None = None, start: _dt.date | None = None, end: _dt.date | None = None,
             limit: int | None = None, offset: int = 0) -> builtins.list[Favor]:
        """Favours in date order (then as recorded), filtered by any of: ``contact``,
        ``direction`` (``"given"``/``"received"``), ``kind``, ``status``, and days ``start`` to
        ``end`` (both included).

        >>> crm.favors.list(contact=ada, direction="received", start=datetime.date(2026, 1, 1))  # doctest: +SKIP
        """
        n, offset = _refs.limit(limit), _refs.whole(offset, "offset")
        s, e = _span(start, end)
        if n == 0:
            return []
        who = None if contact is None else _contact_id(contact)
        return [Favor._from_core(d) for d in self._core.favor_list(who, direction, kind, status, s, e, n or 0, offset)]

    def to_pandas(self, *, contact: ContactRef | None = None, direction: str | None = None, kind: str | None = None,
                  status: str | None = None, start: _dt.date | None = None,
                  end: _dt.date | None = None) -> pandas.DataFrame:
        """The favour ledger (filtered as :meth:`list` filters it) as a pandas DataFrame, one row per
        favour in date order, indexed by ``id``. Needs pandas (``apt install python3-pandas``);
        raises ``ImportError`` saying so when it is missing.

        Columns: ``on`` (``period[D]``: a calendar day); ``contact`` (``int64``); ``direction``
        (``category``: given, received), ``kind`` (``category`` of :data:`FAVOR_KINDS`), ``status``
        (``category`` of :data:`FAVOR_STATUSES`); ``weight`` (``float64``); ``note`` (``string``);
        ``introduction`` (``Int64``, nullable); ``created_at``, ``updated_at``
        (``datetime64[ns, UTC]``). The balance rule in pandas::

            df = crm.favors.to_pandas(status="done")
            signed = df.weight.where(df.direction == "given", -df.weight)
            signed.groupby(df.contact).sum()          # what crm.favors.balance() says, per contact
        """
        from ._analysis import favors_frame

        return favors_frame(self.list(contact=contact, direction=direction, kind=kind, status=status, start=start,
                                      end=end))

    def __getitem__(self, favor: int) -> Favor:
        return self.get(favor)

    def __contains__(self, favor: object) -> bool:
        if isinstance(favor, Favor):
            favor = favor.id
        if isinstance(favor, bool) or not isinstance(favor, int):
            return False
        return self._core.favor_find(favor) is not None

    def __iter__(self) -> Iterator[Favor]:
        return iter(self.list())

    def __len__(self) -> int:
        return self.count()

    def count(self, *, contact: ContactRef | None = None, direction: str | None = None, kind: str | None = None,
              status: str | None = None, start: _dt.date | None = None, end: _dt.date | None = None) -> int:
        """How many favours :meth:`list` would give with the same filters, without reading them.

        >>> crm.favors.count(direction="given", status="done")                     # doctest: +SKIP
        12
        """
        who = None if contact is None else _contact_id(contact)
        return int(self._core.favor_count(who, direction, kind, status, *_span(start, end)))

    def __repr__(self) -> str:
        return f"<netcrm.Favors: {len(self)} favours>"

    # -- introductions ------------------------------------------------------------------------

    def introduce(self, first: ContactRef, second: ContactRef, *, on: _dt.date | None = None, note: str = "",
                  weight: float = 1) -> Introduction:
        """You introduce ``first`` to ``second``: recorded with a favour given to each of them.

        >>> crm.favors.introduce(ada, grace, note="both build robots")  # doctest: +SKIP
        Introduction(id=1, you introduced #1 to #2, 2026-03-01, note='both build robots')

        Raises :class:`netcrm.InvalidInput` when they are the same person.
        """
        return Introduction._from_core(self._core.introduce(None, _contact_id(first, "first"),
                                                            _contact_id(second, "second"), _date(on), note,
                                                            _weight(weight)))

    def introduced_to(self, contact: ContactRef, *, by: ContactRef, on: _dt.date | None = None, note: str = "",
                      weight: float = 1) -> Introduction:
        """``by`` introduced you to ``contact``: recorded with a favour received from ``by``, and
        ``contact`` gets ``introduced_by`` set to ``by`` unless it already names someone.

        >>> crm.favors.introduced_to(dan, by=carol)  # doctest: +SKIP
        Introduction(id=2, #3 introduced you to #4, 2026-03-01)
        """
        return Introduction._from_core(self._core.introduce(_contact_id(by, "by"), None,
                                                            _contact_id(contact, "contact"), _date(on), note,
                                                            _weight(weight)))

    def introductions(self, *, involving: ContactRef | None = None) -> builtins.list[Introduction]:
        """Introductions, oldest first; ``involving``: those where the contact is one of the people.

        >>> crm.favors.introductions(involving=ada)  # doctest: +SKIP
        """
        who = None if involving is None else _contact_id(involving, "involving")
        return [Introduction._from_core(d) for d in self._core.introductions(who)]

    def favors_of(self, introduction: Introduction | int) -> builtins.list[Favor]:
        """The favours an introduction counts as (two when you made it, one when it was made for you).

        >>> [f.contact for f in crm.favors.favors_of(intro)]  # doctest: +SKIP
        [1, 2]
        """
        return [Favor._from_core(d)
                for d in self._core.introduction_favors(_record_id(introduction, Introduction, "an introduction"))]

    def remove_introduction(self, introduction: Introduction | int) -> None:
        """Deletes an introduction with its favours (``introduced_by`` on the contact stays).

        >>> crm.favors.remove_introduction(intro)  # doctest: +SKIP
        """
        self._core.introduction_remove(_record_id(introduction, Introduction, "an introduction"))

    # -- asks -----------------------------------------------------------------------------------

    def ask(self, contact: ContactRef, text: str) -> Ask:
        """Notes what ``contact`` needs or is looking for.

        >>> crm.favors.ask(ada, "a designer for the landing page")  # doctest: +SKIP
        Ask(id=1, #1: 'a designer for the landing page', open)
        """
        return Ask._from_core(self._core.ask_add(_contact_id(contact), text))

    def close_ask(self, ask: Ask | int, status: str) -> Ask:
        """Closes an open ask as ``"met"`` or ``"dropped"``; returns it with ``closed_at``.

        >>> crm.favors.close_ask(a, "met")  # doctest: +SKIP
        """
        if status not in ("met", "dropped"):
            raise InvalidInput(f"status: an ask is closed as 'met' or 'dropped', not {status!r}")
        return Ask._from_core(self._core.ask_close(_record_id(ask, Ask, "an ask"), status))

    def asks(self, contact: ContactRef | None = None, *, open_only: bool = True) -> builtins.list[Ask]:
        """Asks, oldest first: everyone's or one contact's; closed ones too with ``open_only=False``.

        >>> [a.text for a in crm.favors.asks(ada, open_only=False)]  # doctest: +SKIP
        ['a designer for the landing page']
        """
        who = None if contact is None else _contact_id(contact)
        return [Ask._from_core(d) for d in self._core.asks(who, open_only)]

    # -- where you stand ------------------------------------------------------------------------

    def balance(self, contact: ContactRef) -> Balance:
        """Where you stand with ``contact`` (see the balance rule in the module docs).

        >>> crm.favors.balance(grace)  # doctest: +SKIP
        Balance(#2: given 0, received 3, balance -3)
        """
        return Balance._from_core(self._core.favor_balance(_contact_id(contact)))

    def owed(self) -> builtins.list[Balance]:
        """Who helped you that you have not helped back: balances below zero, most owed first
        (between equals, the one whose last help is oldest).

        >>> [str(b) for b in crm.favors.owed()]  # doctest: +SKIP
        ['you owe #2 3']
        """
        return [Balance._from_core(d) for d in self._core.favor_owed()]

    def could_help(self) -> builtins.list[Ask]:
        """Whom you could help: open asks, those of the people you owe most first (lowest
        balance; no favours counts as 0), then the oldest ask.

        >>> crm.favors.could_help()  # doctest: +SKIP
        [Ask(id=3, #2: 'an intro to a VC', open), Ask(id=1, #1: 'a designer', open)]
        """
        return [Ask._from_core(d) for d in self._core.favor_could_help()]
