"""Opening a netcrm database: :func:`netcrm.open` and the :class:`CRM` it returns."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from types import TracebackType
from typing import Callable, Union

from . import _core
from .contact import Contacts

__all__ = ["CRM", "default_path", "open"]

PathLike = Union[str, "os.PathLike[str]"]


def default_path() -> Path:
    """Where netcrm keeps its database unless told otherwise.

    ``$NETCRM_DB`` if set, else ``$XDG_DATA_HOME/netcrm/netcrm.db`` (``~/.local/share/netcrm/netcrm.db``).
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

    @property
    def path(self) -> str:
        """The database file (``":memory:"`` for an in-memory database)."""
        return self._core.path

    @property
    def closed(self) -> bool:
        return self._core.closed

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

    def now(self) -> _dt.datetime:
        """The current instant by this database's clock (aware, UTC)."""
        return self._core.now()

    def integrity_check(self) -> str:
        """``"ok"``, or the problems SQLite finds in the file (structure and foreign keys)."""
        return self._core.integrity_check()

    def close(self) -> None:
        """Closes the database. Further use raises :class:`netcrm.Error`; closing twice is fine."""
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


def open(path: PathLike | None = None, *, create: bool = True, busy_timeout: float = 10.0,
         clock: Callable[[], _dt.datetime] | None = None) -> CRM:
    """Opens (or creates) a netcrm database and returns a :class:`CRM`.

    ``path`` defaults to :func:`default_path` (whose folder is created if needed); ``":memory:"``
    gives a throwaway in-memory database. ``busy_timeout`` is how many seconds a write waits for
    another process's write. ``clock`` returns the current instant as an aware datetime (tests
    and "as of" questions use a fixed one).

    Raises :class:`netcrm.IncompatibleDatabase` (an ``OSError``) for a file that is not a netcrm
    database or was written by a newer netcrm; the file is not modified.
    """
    if path is None:
        target = default_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        where = str(target)
    else:
        where = os.fspath(path)
        if not isinstance(where, str):
            raise TypeError("path must be a str or os.PathLike[str]")
    if busy_timeout < 0:
        raise ValueError("busy_timeout must be >= 0 seconds")
    return CRM(_core.Store.open(where, create, busy_timeout, clock))
