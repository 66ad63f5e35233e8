"""Opening a netcrm database: :func:`netcrm.open` and the :class:`CRM` it returns."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from types import TracebackType
from typing import Callable, Iterable, Mapping, Union

from . import _core
from .contact import Contacts
from .digest import Digest, make_digest
from .favors import Favors
from .events import Event, Events, _event_id
from .follow_ups import FollowUps
from .goals import Goals
from .importing import Imports, ImportReport, OnDuplicate, Progress, import_file, import_text
from .interactions import Interactions
from ._core import InvalidInput

__all__ = ["CRM", "default_path", "open"]

PathLike = Union[str, "os.PathLike[str]"]


def default_path() -> Path:
    """Where netcrm keeps its database unless told otherwise.

    ``$NETCRM_DB`` if set, else ``$XDG_DATA_HOME/netcrm/netcrm.db`` (``~/.local/share/netcrm/netcrm.db``).

    >>> netcrm.default_path()                                  # doctest: +SKIP
    PosixPath('/home/ada/.local/share/netcrm/netcrm.db')
    """
    env = os.environ.get("NETCRM_DB")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "netcrm" / "netcrm.db"


class CRM:
    """An open netcrm database. Use it as a context manager, or call :meth:`close`.

    >>> with netcrm.open("cards.db") as crm:             # doctest: +SKIP
    ...     crm.contacts.add(display_name="Ada Lovelace")
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core
        self.contacts = Contacts(core)
        self.imports = Imports(core)
        self.interactions = Interactions(core)
        self.favors = Favors(core)
        self.events = Events(core)
        self.follow_ups = FollowUps(core)
        self.goals = Goals(core)

    @property
    def path(self) -> str:
        """The database file (``":memory:"`` for an in-memory database)."""
        return self._core.path

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called (or the ``with`` block has ended)."""
        return self._core.closed

    def import_file(self, path: PathLike, *, event: Event | int | None = None, tags: Iterable[str] = (),
                    how_met: str = "", on_duplicate: OnDuplicate = "merge", format: str | None = None,
                    columns: Mapping[str, str] | None = None, progress: Progress | None = None) -> ImportReport:
        """Imports a card file as one batch: vCard (2.1, 3.0, 4.0), MECARD (QR codes) or CSV
        (LinkedIn, Google, Outlook and Thunderbird exports, or any CSV with ``columns``). The format
        is read from the content, never the file name; ``format`` forces one.

        Every card is matched against the database and the rest of the file: the same UID, email or
        phone (in E.164, see :attr:`default_region`) is the same person, and ``on_duplicate`` says
        what happens then: ``"merge"`` (nothing from either side is dropped), ``"skip"`` or
        ``"create"``. The same name at the same organization is only suggested as a duplicate.
        ``tags`` and ``how_met`` mark every contact the import creates ("met at ...").
        ``event`` (an :class:`Event` or its id) ties the import to the event where these people were
        met: everyone it adds or merges into is recorded as met there (a first meeting for those it
        adds, which also runs the after-event follow-up rules), ``how_met`` defaults to "Met at
        <event>", and undoing the import takes that attendance back.
        ``columns`` maps the headers of any other CSV to fields, e.g.
        ``{"Full name": "display_name", "Mail": "email:work", "Company": "organization"}``
        (fields: display_name, given, family, organization, title, email, phone, url, tags, note,
        birthday, how_met, street, locality, region, postal_code, country, ignore ...); columns it
        does not name are kept on the contacts.

        ``progress`` is called as ``progress(bytes_done, bytes_total)``, or is a tqdm bar::

            with tqdm(unit="B", unit_scale=True) as bar:
                crm.import_file("cards.vcf", progress=bar)

        Returns an :class:`ImportReport`; a malformed record is listed there with its line and the
        rest imported. On an error of the database nothing of the import is written.
        """
        return import_file(self._core, path, tags=tags, how_met=how_met, on_duplicate=on_duplicate, format=format,
                           columns=columns, progress=progress, event=_event_ref(event))

    def import_text(self, text: str, *, source: str = "text", event: Event | int | None = None,
                    tags: Iterable[str] = (), how_met: str = "", on_duplicate: OnDuplicate = "merge",
                    format: str | None = None, columns: Mapping[str, str] | None = None,
                    progress: Progress | None = None) -> ImportReport:
        """Like :meth:`import_file`, for text you have: a pasted card, a QR code's payload.

        >>> crm.import_text("MECARD:N:Lovelace,Ada;EMAIL:ada@example.com;;", source="qr")  # doctest: +SKIP
        """
        if not isinstance(source, str):
            raise TypeError(f"source must be a str naming where the text came from, not {type(source).__name__}")
        if "\x00" in source:
            raise InvalidInput("source must not contain NUL characters")
        return import_text(self._core, text, source=source, tags=tags, how_met=how_met, on_duplicate=on_duplicate,
                           format=format, columns=columns, progress=progress, event=_event_ref(event))

    def export(self, path: PathLike | None = None, *, format: str | None = None,
               tag: str | None = None) -> str | None:
        """Writes contacts out; returns the text when ``path`` is ``None``.

        ``format`` (else taken from the path's suffix): ``"vcard"`` (4.0, ``.vcf``) or ``"vcard3"``
        for phones and mail programs, ``"csv"`` (Google Contacts columns, ``.csv``; cells that a
        spreadsheet would run as a formula are prefixed with ``'``), or ``"json"`` (``.json``): the
        whole database, contacts with ids, notes and kept card properties, merge history, settings
        and import batches, events, the interaction log and goals, which :meth:`restore` reads back
        with nothing lost; or ``"ics"`` (``.ics``): the open follow-ups as an iCalendar file for
        Google Calendar, Apple Calendar or Thunderbird, one event with an alarm per follow-up, whose
        UIDs stay the same across exports so importing a newer file updates the events. ``tag``
        limits a vCard or CSV export to contacts with that tag. A file is written whole or not at all.

        >>> crm.export("follow-ups.ics")                      # doctest: +SKIP
        """
        fmt = _export_format(path, format)
        if path is None:
            return self._core.export_text(fmt, tag)
        self._core.export_file(os.fspath(path), fmt, tag)
        return None

    def restore(self, source: PathLike | str, *, text: bool = False) -> dict[str, int]:
        """Reads a JSON export (see :meth:`export`) into this database, which must be empty.

        ``source`` is a path, or the JSON itself with ``text=True``. Returns how many rows of each
        kind were restored: ``contacts``, ``merges``, ``batches`` (imports), ``events``,
        ``interactions``, ``goals``, ``introductions``, ``favors``, ``follow_up_rules``,
        ``follow_ups``, ``follow_up_history`` (their changes), ``asks`` and ``holidays`` (days).
        Settings come back too, the database's id among them, so calendar exports keep their UIDs.
        Rows go in as they were: no follow-up rule runs. All or nothing: on an error nothing is
        written, and the error says where in the document the bad record is.

        >>> crm.restore("backup.json")["follow_ups"]          # doctest: +SKIP
        12
        """
        if text:
            if not isinstance(source, str):
                raise TypeError("with text=True, source is the JSON text (a str)")
            return self._core.restore_json_text(source, "text")
        return self._core.restore_json_file(os.fspath(source))

    @property
    def default_region(self) -> str:
        """The region whose phone numbers are written without a country code, e.g. ``"FR"``.

        Phone numbers are matched in E.164 form; a number like ``06 12 34 56 78`` can only be
        placed once this is set. ``""`` (the default) places only numbers written with ``+``.
        Setting it re-keys every stored phone number.
        """
        return self._core.default_region

    @default_region.setter
    def default_region(self, region: str) -> None:
        self._core.default_region = region

    @property
    def time_zone(self) -> str:
        """Your IANA time zone, e.g. ``"Europe/Paris"``: the zone of events stored without one, and
        what "today" and "this month" mean. Until set: the system's zone, or ``"UTC"``.

        >>> crm.time_zone = "America/New_York"                                     # doctest: +SKIP
        """
        return self._core.time_zone

    @time_zone.setter
    def time_zone(self, zone: str) -> None:
        self._core.time_zone = zone

    def digest(self, *, now: _dt.datetime | None = None, cold_days: int = 90, upcoming_days: int = 7,
               limit: int | None = 20) -> Digest:
        """Today's digest as of ``now`` (aware; default: the database's clock): follow-ups due and
        overdue, those coming up in ``upcoming_days``, favours received to say thank you for,
        people going cold (no interaction in ``cold_days``) and goals at risk, at most ``limit``
        of each. ``print()`` it, or send ``.to_json()`` from a cron job or an automation platform.
        Keep-in-touch cadences are brought up to date first (a contact tagged since the last
        digest comes under its tag's cadence).

        >>> print(crm.digest())                                   # doctest: +SKIP
        netcrm digest for 2026-12-01 (Europe/Paris)
        ...
        """
        return make_digest(self._core, now, cold_days, upcoming_days, limit)

    def now(self) -> _dt.datetime:
        """The current instant by this database's clock (aware, UTC).

        >>> crm.now()                                            # doctest: +SKIP
        datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
        """
        return self._core.now()

    def integrity_check(self) -> str:
        """``"ok"``, or the problems SQLite finds in the file (structure and foreign keys).

        >>> crm.integrity_check()                                # doctest: +SKIP
        'ok'
        """
        return self._core.integrity_check()

    def close(self) -> None:
        """Closes the database. Further use raises :class:`netcrm.Error`; closing twice is fine.
        ``with netcrm.open() as crm:`` closes it at the end of the block.

        >>> crm = netcrm.open("cards.db"); crm.close(); crm.closed      # doctest: +SKIP
        True
        """
        self._core.close()

    def __enter__(self) -> CRM:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<netcrm.CRM closed>"
        return f"<netcrm.CRM {self.path!r}: {len(self.contacts)} contacts>"


_EXPORT_FORMATS = {"json": "json", "vcard": "vcard", "vcard4": "vcard", "vcard3": "vcard3", "csv": "csv",
                   "ics": "ics"}
_SUFFIXES = {".json": "json", ".vcf": "vcard", ".vcard": "vcard", ".csv": "csv", ".ics": "ics"}


def _event_ref(event: Event | int | None) -> int | None:
    return None if event is None else _event_id(event)


def _export_format(path: PathLike | None, format: str | None) -> str:
    if format is not None:
        if format not in _EXPORT_FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(sorted(_EXPORT_FORMATS))}, not {format!r}")
        return _EXPORT_FORMATS[format]
    if path is None:
        raise InvalidInput("say which format to export, e.g. export(format='vcard')")
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InvalidInput(f"cannot tell the format from {os.fspath(path)!r}: pass format= "
                         f"({', '.join(sorted(_EXPORT_FORMATS))})")
    return _SUFFIXES[suffix]


#: The longest wait for another writer that open() takes: a day (SQLite counts milliseconds in an int).
_MAX_BUSY_TIMEOUT = 86_400


def open(path: PathLike | None = None, *, create: bool = True, busy_timeout: float = 10.0,
         clock: Callable[[], _dt.datetime] | None = None) -> CRM:
    """Opens (or creates) a netcrm database and returns a :class:`CRM`.

    ``path`` defaults to :func:`default_path` (whose folder is created if needed); ``":memory:"``
    gives a throwaway in-memory database. ``busy_timeout`` is how many seconds a write waits for
    another process's write. ``clock`` returns the current instant as an aware datetime (tests
    and "as of" questions use a fixed one).

    Raises :class:`netcrm.IncompatibleDatabase` (an ``OSError``) for a file that is not a netcrm
    database, is damaged, or was written by a newer netcrm; the file is not modified. A database
    that cannot be written (a read-only file, folder or disk) opens for reading and export; a
    change then raises :class:`netcrm.FileError`.

    >>> with netcrm.open("cards.db") as crm:                   # doctest: +SKIP
    ...     print(crm.contacts.search("lovelace"))
    >>> scratch = netcrm.open(":memory:")                      # doctest: +SKIP
    """
    if path is None:
        target = default_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        where = str(target)
    else:
        where = os.fspath(path)
        if not isinstance(where, str):
            raise TypeError("path must be a str or os.PathLike[str]")
        if not where:
            raise InvalidInput("path is empty: name the database file, pass None for the default one, or "
                               "':memory:'")
    if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, (int, float)):
        raise TypeError(f"busy_timeout must be a number of seconds, not {type(busy_timeout).__name__}")
    if not 0 <= busy_timeout <= _MAX_BUSY_TIMEOUT:  # NaN fails both comparisons
        raise InvalidInput(f"busy_timeout must be from 0 to {_MAX_BUSY_TIMEOUT:,} seconds, not {busy_timeout}")
    return CRM(_core.Store.open(where, create, busy_timeout, clock))
