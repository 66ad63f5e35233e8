"""How every collection reads the times it is given: aware datetimes only, and dates as days of the
user's wall clock. (Times come out as aware datetimes; see the README, "Contacts", on time.)"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

from ._core import InvalidInput


def aware(t: object, what: str) -> _dt.datetime:
    """``t`` if it is an aware datetime; ``TypeError`` for anything else, ``ValueError`` for a naive
    one (netcrm never guesses a zone).

    >>> aware(_dt.datetime(2026, 3, 1, 9, 0), "at")
    Traceback (most recent call last):
    netcrm.InvalidInput: at is a naive datetime (no time zone); pass an aware one, e.g. datetime(2026, 3, 26, 19, 0, tzinfo=ZoneInfo('Europe/Paris'))
    """
    if not isinstance(t, _dt.datetime):
        raise TypeError(f"{what} must be an aware datetime.datetime, not {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise InvalidInput(f"{what} is a naive datetime (no time zone); pass an aware one, e.g. "
                           f"datetime(2026, 3, 26, 19, 0, tzinfo=ZoneInfo('Europe/Paris'))")
    return t


def instant_or_day(t: object, what: str, zone: str) -> _dt.datetime | None:
    """A bound of a listing: an aware datetime as it is, a date as the midnight starting it on the
    wall clock of ``zone`` (the user's), None as None.

    >>> instant_or_day(_dt.date(2026, 3, 5), "start", "Asia/Kolkata").isoformat()
    '2026-03-05T00:00:00+05:30'
    """
    if t is None:
        return None
    if isinstance(t, _dt.datetime):
        return aware(t, what)
    if isinstance(t, _dt.date):
        return _dt.datetime(t.year, t.month, t.day, tzinfo=ZoneInfo(zone))
    raise TypeError(f"{what} must be an aware datetime or a date, not {type(t).__name__}")
