"""How a typed program uses netcrm's public API. test_stubs.py checks this file with ``mypy --strict``
(so the package's annotations, py.typed and _core.pyi must describe that API) and also runs it (so
this file cannot drift from what the package really does). Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import netcrm

PARIS = ZoneInfo("Europe/Paris")


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def use(path: Path) -> list[str]:
    """Exercises the API and returns what it saw, one line per fact."""
    seen: list[str] = []
    with netcrm.open(path, clock=fixed_clock, busy_timeout=5.0) as crm:
        ada: netcrm.Contact = crm.contacts.add(netcrm.Contact(
            "Ada Lovelace",
            name=netcrm.Name(given="Ada", family="Lovelace"),
            emails=["ada@example.com", ("ada@work.example", "work"), netcrm.LabeledValue("a@x.example", "home")],
            addresses=[netcrm.Address(street="St James's Square", locality="London", country="UK")],
            birthday=netcrm.PartialDate(12, 10),
            tags=["math"],
            notes=[netcrm.Note("Met at the Royal Society", dt.datetime(2026, 1, 15, 9, 30, tzinfo=PARIS))],
        ))
        king = crm.contacts.add(display_name="Ada King", organization="Babbage & Co", birthday=dt.date(1815, 12, 10))
        ada = crm.contacts.add_note(ada, "Wants an intro to a hardware founder")
        ada = crm.contacts.update(ada, title="Analyst")

        for found in crm.contacts.search("ada", limit=10):
            seen.append(f"found {found.display_name}")
        first_hit: netcrm.Contact = crm.contacts.search("lovelace")[0]
        seen.append(f"first {first_hit.display_name}")

        merged: netcrm.Contact = crm.contacts.merge(ada, king)
        history: list[dict[str, Any]] = crm.contacts.merge_history(merged)
        seen.append(f"merged {history[0]['display_name']}")

        birthday = merged.birthday
        if isinstance(birthday, netcrm.PartialDate):
            seen.append(f"birthday {birthday.to_date(2027).isoformat()}")
        elif birthday is not None:
            seen.append(f"birthday {birthday.isoformat()}")
        leap: dt.date = netcrm.PartialDate.parse("--02-29").to_date(2027)
        seen.append(f"leap {leap.isoformat()}")

        created: dt.datetime | None = merged.created_at
        seen.append(f"created {created.isoformat() if created else None}")
        seen.append(f"count {len(crm.contacts)} {crm.contacts.count(tag='math')}")
        tags: dict[str, int] = crm.contacts.tags()
        seen.append(f"tags {sorted(tags)}")
        everyone: list[netcrm.Contact] = crm.contacts.list(limit=10)
        seen.append(f"listed {[c.id for c in everyone]}")
        maybe: netcrm.Contact | None = crm.contacts.find(10_000)
        seen.append(f"find {maybe}")
        seen.append(f"in {merged.id in crm.contacts}")

        try:
            crm.contacts.get(10_000)
        except netcrm.NotFound as e:
            missing: int = e.id
            kind: str = e.kind
            seen.append(f"not found {kind} {missing}")
    try:
        netcrm.PartialDate(2, 30)
    except netcrm.InvalidInput as e:
        seen.append(f"invalid {type(e).__name__}")
    try:
        netcrm.open(path.parent / "missing" / "x.db")
    except netcrm.IncompatibleDatabase as e:
        version: int | None = e.file_version
        seen.append(f"incompatible {version}")
    except netcrm.FileError as e:
        seen.append(f"file error {e.filename == str(path.parent / 'missing' / 'x.db')}")
    except netcrm.Error as e:
        seen.append(f"error {e}")
    return seen


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        print("\n".join(use(Path(d) / "typed.db")), file=sys.stdout)
