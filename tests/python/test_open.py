"""netcrm.open(): where the database lives by default, which paths it takes, the context manager,
in-memory databases, reopening, and what the file looks like to SQLite itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import netcrm
from helpers import sibling_files, sqlite_pragma, sqlite_query


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No NETCRM_DB or XDG_DATA_HOME, and a HOME inside tmp_path: nothing can touch the real home."""
    monkeypatch.delenv("NETCRM_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return monkeypatch


def test_default_path_honours_netcrm_db(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "chosen.db"
    clean_env.setenv("NETCRM_DB", str(target))
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # NETCRM_DB wins
    assert netcrm.default_path() == target
    with netcrm.open() as crm:
        assert crm.path == str(target)
        crm.contacts.add(netcrm.Contact("Ada"))
    assert target.is_file()
    assert not (tmp_path / "xdg").exists()


def test_netcrm_db_expands_a_leading_tilde(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("NETCRM_DB", "~/crm.db")
    (tmp_path / "home").mkdir()
    assert netcrm.default_path() == tmp_path / "home" / "crm.db"


def test_default_path_uses_xdg_data_home_and_creates_the_folder(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data_home = tmp_path / "xdg"
    clean_env.setenv("XDG_DATA_HOME", str(data_home))
    assert not data_home.exists()
    with netcrm.open() as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
        assert crm.path == str(data_home / "netcrm" / "netcrm.db")
    assert (data_home / "netcrm" / "netcrm.db").is_file()


def test_default_path_falls_back_to_local_share_in_home(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with netcrm.open() as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
    assert (tmp_path / "home" / ".local" / "share" / "netcrm" / "netcrm.db").is_file()


def test_an_empty_netcrm_db_counts_as_unset(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("NETCRM_DB", "")
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert netcrm.default_path() == tmp_path / "xdg" / "netcrm" / "netcrm.db"


def test_a_pathlib_path_is_accepted(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "p.db") as crm:
        assert crm.path == str(tmp_path / "p.db")


def test_any_os_pathlike_is_accepted(tmp_path: Path) -> None:
    class Where:
        def __init__(self, p: str) -> None:
            self.p = p

        def __fspath__(self) -> str:
            return self.p

    target = str(tmp_path / "like.db")
    with netcrm.open(Where(target)) as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
        assert crm.path == target
    assert os.path.isfile(target)


def test_a_bytes_path_raises_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        netcrm.open(os.fsencode(tmp_path / "b.db"))  # type: ignore[arg-type]
    assert not (tmp_path / "b.db").exists()


def test_a_negative_busy_timeout_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        netcrm.open(tmp_path / "x.db", busy_timeout=-1)


def test_the_context_manager_closes_the_database(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "x.db") as crm:
        assert not crm.closed
        assert repr(crm) == f"<netcrm.CRM {str(tmp_path / 'x.db')!r}: 0 contacts>"
    assert crm.closed
    with pytest.raises(netcrm.Error):
        crm.contacts.add(netcrm.Contact("Ada"))


def test_the_context_manager_closes_on_an_exception_and_lets_it_through(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError):
        with netcrm.open(tmp_path / "x.db") as crm:
            crm.contacts.add(netcrm.Contact("Ada"))
            1 / 0  # noqa: B018
    assert crm.closed
    with netcrm.open(tmp_path / "x.db") as again:
        assert [c.display_name for c in again.contacts] == ["Ada"]


def test_closing_removes_the_wal_files(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with netcrm.open(path) as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
    assert sibling_files(path) == set()


def test_memory_databases_work_and_are_private() -> None:
    with netcrm.open(":memory:") as one, netcrm.open(":memory:") as two:
        assert one.path == ":memory:"
        c = one.contacts.add(netcrm.Contact("Ada", tags=["x"]))
        assert one.contacts.get(c) == c
        assert one.contacts.search("ada") == [c]
        assert len(two.contacts) == 0
        assert one.integrity_check() == "ok"
    assert not (Path.cwd() / ":memory:").exists()


def test_reopening_a_file_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with netcrm.open(path) as crm:
        stored = [crm.contacts.add(netcrm.Contact(f"Person {i}", tags=["t"], notes=[f"note {i}"])) for i in range(5)]
    with netcrm.open(path) as crm:
        assert list(crm.contacts) == stored
        assert crm.contacts.search("note") != []
        crm.contacts.add(netcrm.Contact("Sixth"))
    with netcrm.open(path, create=False) as crm:
        assert len(crm.contacts) == 6


def test_an_empty_file_becomes_a_netcrm_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with netcrm.open(path) as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
    assert sqlite_pragma(path, "application_id") == 0x6E43524D


def test_the_file_is_wal_with_the_netcrm_application_id_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with netcrm.open(path) as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
    assert sqlite_pragma(path, "journal_mode") == "wal"
    assert sqlite_pragma(path, "application_id") == 0x6E43524D
    assert sqlite_pragma(path, "user_version") == netcrm.SCHEMA_VERSION
    assert sqlite_pragma(path, "integrity_check") == "ok"
    assert sqlite_query(path, "SELECT display_name FROM contacts") == [("Ada",)]


def test_schema_version_is_a_positive_int() -> None:
    assert isinstance(netcrm.SCHEMA_VERSION, int) and netcrm.SCHEMA_VERSION >= 1
