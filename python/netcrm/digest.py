"""The daily digest: what to do today, in one object a cron job or an automation can send.

``crm.digest()`` gathers, as of now (or ``now=``, an aware datetime):

- ``due``: open follow-ups due today or earlier, most urgent first (``overdue`` when due on a day
  before today in your time zone);
- ``upcoming``: those due in the next ``upcoming_days``;
- ``thank``: favours received in the last 30 days with no thank-you follow-up done yet;
- ``going_cold``: people you used to talk to and have not in ``cold_days``;
- ``goals_at_risk``: plan goals running today that are behind pace, and unmet goals of events in
  the past or next 7 days.

Print it for a readable page, or send ``digest.to_json()`` to Zapier, IFTTT, Make or Naas::

    import netcrm, smtplib
    with netcrm.open() as crm:
        digest = crm.digest()
        if digest:                       # something to do today
            print(digest)                # or mail str(digest), or post digest.to_json()
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _refs
from .favors import Favor
from .follow_ups import DueFollowUp, FollowUp
from .goals import GoalProgress
from .interactions import LastInteraction, QuietContact

if TYPE_CHECKING:
    from . import _core

__all__ = ["Digest"]


@dataclass(frozen=True)
class Digest:
    """The daily digest as of one instant (see the module's documentation).

    ``names`` maps the id of every contact mentioned to its display name. ``str(digest)`` is the
    readable page; ``to_json()`` the same as JSON (the README describes its fields); ``to_dict()``
    a plain dict; a digest with nothing in it is false.

    >>> digest = crm.digest(now=datetime(2026, 12, 1, 8, tzinfo=timezone.utc))   # doctest: +SKIP
    >>> print(digest)                                                            # doctest: +SKIP
    netcrm digest for 2026-12-01 (Europe/Paris)
    <BLANKLINE>
    Due (1):
      - Ada Lovelace: Thank Ada for the intro (due 2026-12-01 09:00)
    """

    as_of: _dt.datetime
    time_zone: str
    today: _dt.date
    due: list[DueFollowUp]
    upcoming: list[DueFollowUp]
    thank: list[Favor]
    going_cold: list[QuietContact]
    goals_at_risk: list[GoalProgress]
    names: dict[int, str]
    _text: str = field(repr=False)
    _json: str = field(repr=False)

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Digest:
        def dues(rows: list[dict[str, Any]]) -> list[DueFollowUp]:
            return [DueFollowUp(FollowUp._from_core(r["follow_up"]), r["overdue"], _dt.timedelta(seconds=r["late"]))
                    for r in rows]

        cold = [QuietContact(c, None if i is None or at is None else LastInteraction(c, i, at))
                for c, i, at in d["going_cold"]]
        return cls(d["as_of"], d["time_zone"], d["today"], dues(d["due"]), dues(d["upcoming"]),
                   [Favor._from_core(f) for f in d["thank"]], cold,
                   [GoalProgress._from_core(g) for g in d["goals_at_risk"]], dict(d["names"]), d["text"], d["json"])

    def __bool__(self) -> bool:
        return bool(self.due or self.upcoming or self.thank or self.going_cold or self.goals_at_risk)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return (f"<Digest {self.today.isoformat()} {self.time_zone}: {len(self.due)} due, {len(self.upcoming)} "
                f"upcoming, {len(self.thank)} to thank, {len(self.going_cold)} going cold, "
                f"{len(self.goals_at_risk)} goals at risk>")

    def to_json(self) -> str:
        """The digest as a JSON object (indented), for automation platforms and cron mails."""
        return self._json

    def to_dict(self) -> dict[str, Any]:
        """The digest as plain data (what :meth:`to_json` holds)."""
        out: dict[str, Any] = json.loads(self._json)
        return out

    def _repr_html_(self) -> str:
        """Jupyter shows the readable page."""
        return "<pre>" + html.escape(self._text) + "</pre>"


def make_digest(core: _core.Store, now: _dt.datetime | None, cold_days: int, upcoming_days: int,
                limit: int | None) -> Digest:
    cold_days = _refs.days(cold_days, "cold_days", minimum=1)
    upcoming_days = _refs.days(upcoming_days, "upcoming_days")
    return Digest._from_core(core.digest(now, cold_days, upcoming_days, _refs.limit(limit) or 0))
