"""How every collection reads its arguments (one rule, one wording of the errors): "a record or
its id", counts such as ``limit``, ``offset`` and ``days``, and periods; and how it pages through
its records.

A stored record (a :class:`Contact`, an :class:`Event`, a follow-up ...) or its ``int`` id is
accepted wherever a record is named; a ``bool`` is not an id (``True`` is 1 to Python, never to
us), and a record that was never saved has no id yet. A number that is not an ``int`` (a float,
``"3"``, ``True``) raises ``TypeError``; an ``int`` out of range raises :class:`InvalidInput`,
before anything reaches the database.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Iterator, TypeVar

from ._core import InvalidInput

T = TypeVar("T")

#: The largest id SQLite stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: The most days a span in days may cover (about 2,700 years): beyond it dates leave the calendar.
MAX_DAYS = 1_000_000


def _shown(n: int) -> str:
    """``n`` for an error message: a huge number is not printed in full."""
    return str(n) if abs(n) < 10**24 else ("-" if n < 0 else "") + "a number of " + str(len(str(abs(n)))) + " digits"


def whole(value: object, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """``value`` as a whole number in ``[minimum, maximum]`` for the argument ``name``:
    ``TypeError`` for anything but an ``int`` (``bool`` included), :class:`InvalidInput` out of range.

    >>> whole(3, "days")
    3
    >>> whole(-1, "offset")
    Traceback (most recent call last):
    netcrm.InvalidInput: offset must be at least 0, not -1
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number (int), not {type(value).__name__}")
    if value < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}, not {_shown(value)}")
    if value > maximum:
        raise InvalidInput(f"{name} must be at most {maximum:,}, not {_shown(value)}")
    return value


def limit(value: object, name: str = "limit") -> int | None:
    """A ``limit`` argument: ``None`` (no limit) or a whole number >= 0 (0 answers nothing).

    >>> limit(None) is None, limit(5)
    (True, 5)
    """
    return None if value is None else whole(value, name)


def days(value: object, name: str = "days", *, minimum: int = 0) -> int:
    """A number of days: a whole number from ``minimum`` up to :data:`MAX_DAYS`."""
    return whole(value, name, minimum=minimum, maximum=MAX_DAYS)


def period(start: Any, end: Any, shown: tuple[object, object] | None = None,
           names: tuple[str, str] = ("start", "end")) -> None:
    """Refuses a period that ends before it starts. ``start`` and ``end`` are as the store compares
    them (both dates, or both aware datetimes; ``None`` is open); ``shown`` is what the caller
    passed, for the message.

    >>> period(_dt.date(2026, 3, 1), _dt.date(2026, 2, 1))
    Traceback (most recent call last):
    netcrm.InvalidInput: end (2026-02-01) is before start (2026-03-01)
    """
    if start is None or end is None:
        return
    if end < start:
        a, b = shown if shown is not None else (start, end)
        raise InvalidInput(f"{names[1]} ({b}) is before {names[0]} ({a})")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in ("a", "e", "i", "o", "u") else "a"


def record_id(ref: object, noun: str, cls: type | None = None, *, hint: str = "add it first",
              field: str = "") -> int:
    """The id of ``ref``: an ``int``, or a saved record of class ``cls`` (any object with an
    ``id`` when ``cls`` is None). ``noun`` names it in errors ("contact", "follow-up"), ``hint``
    says what to do with an unsaved one, ``field`` names the argument when a call takes several.

    >>> record_id(7, "contact")
    7
    >>> record_id(True, "contact")
    Traceback (most recent call last):
    TypeError: expected a contact id (int) or a contact object, not bool
    """
    prefix = f"{field}: " if field else ""
    if isinstance(ref, int) and not isinstance(ref, bool):
        if not -MAX_ID - 1 <= ref <= MAX_ID:
            raise InvalidInput(f"{prefix}{_shown(ref)} is not {_article(noun)} {noun} id: ids are whole numbers "
                               f"from 1 to {MAX_ID:,}")
        return ref
    kind = cls.__name__ if cls is not None else f"{noun} object"
    wrong = TypeError(f"{prefix}expected {_article(noun)} {noun} id (int) or {_article(kind)} {kind}, "
                      f"not {type(ref).__name__}")
    if cls is not None and not isinstance(ref, cls):
        raise wrong
    ident = getattr(ref, "id", ...)
    if ident is ...:
        raise wrong
    if ident is None:
        raise InvalidInput(f"{prefix}this {noun} has not been saved yet" + (f": {hint}" if hint else ""))
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise wrong
    return ident


def paged(fetch: Callable[[int, int], list[Any]], convert: Callable[[Any], T], page: int = 500) -> Iterator[T]:
    """Every record of a collection, read ``page`` at a time (``fetch(limit, offset)``), so that
    iterating a large one does not load it into memory at once.

    >>> list(paged(lambda limit, offset: [1, 2, 3][offset:offset + limit], str, page=2))
    ['1', '2', '3']
    """
    offset = 0
    while True:
        batch = fetch(page, offset)
        yield from (convert(d) for d in batch)
        if len(batch) < page:
            return
        offset += page
