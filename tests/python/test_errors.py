"""The exceptions users catch: one root (netcrm.Error), builtins where the meaning matches (KeyError,
ValueError, OSError), the facts each carries, messages written for people, and files that netcrm
refuses to open left byte for byte as they were."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import pytest

import netcrm
from helpers import assert_no_cpp_words, sibling_files, sqlite_pragma


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "x.db") as db:
        yield db


# -- the hierarchy --------------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "bases"), [
    (netcrm.InvalidInput, (netcrm.Error, ValueError)),
    (netcrm.ParseError, (netcrm.InvalidInput, ValueError)),
    (netcrm.NotFound, (netcrm.Error, KeyError)),
    (netcrm.StorageError, (netcrm.Error,)),
    (netcrm.FileError, (netcrm.StorageError, OSError)),
    (netcrm.IncompatibleDatabase, (netcrm.FileError, OSError)),
])
def test_each_error_is_a_netcrm_error_and_the_matching_builtin(cls: type, bases: tuple[type, ...]) -> None:
    assert issubclass(cls, netcrm.Error)
    assert issubclass(netcrm.Error, Exception)
    for base in bases:
        assert issubclass(cls, base), f"{cls.__name__} should subclass {base.__name__}"


def test_errors_present_themselves_as_netcrm_classes() -> None:
    for cls in (netcrm.Error, netcrm.InvalidInput, netcrm.NotFound, netcrm.FileError, netcrm.IncompatibleDatabase):
        assert cls.__module__ == "netcrm"


def test_not_found_is_a_key_error_with_the_id_and_kind(crm: netcrm.CRM) -> None:
    with pytest.raises(KeyError) as info:
        crm.contacts.get(31337)
    e = info.value
    assert isinstance(e, netcrm.NotFound) and isinstance(e, netcrm.Error)
    assert e.id == 31337
    assert e.kind == "contact"


def test_not_found_str_is_the_plain_message_not_quoted(crm: netcrm.CRM) -> None:
    with pytest.raises(netcrm.NotFound) as info:
        crm.contacts.get(31337)
    message = str(info.value)
    assert message == info.value.args[0]
    assert not message.startswith(("'", '"'))
    assert "31337" in message and "contact" in message


def test_invalid_input_is_a_value_error_naming_the_field(crm: netcrm.CRM) -> None:
    with pytest.raises(ValueError) as info:
        crm.contacts.add(netcrm.Contact("Ada", emails=["   "]))
    assert isinstance(info.value, netcrm.InvalidInput)
    assert "emails[0]" in str(info.value)


def test_a_naive_datetime_for_a_note_raises_value_error_saying_how_to_fix_it(crm: netcrm.CRM) -> None:
    with pytest.raises(ValueError) as info:
        crm.contacts.add(netcrm.Contact("Ada", notes=[netcrm.Note("n", dt.datetime(2026, 3, 1, 9, 0))]))
    message = str(info.value)
    assert "naive" in message and "aware" in message and "tzinfo" in message
    assert len(crm.contacts) == 0


def test_a_naive_datetime_for_add_note_raises_value_error(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    with pytest.raises(ValueError, match="naive"):
        crm.contacts.add_note(c, "n", at=dt.datetime(2026, 3, 1, 9, 0))
    assert crm.contacts.get(c).notes == []


def test_a_clock_returning_a_naive_datetime_raises_value_error(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "x.db", clock=lambda: dt.datetime(2026, 3, 1, 9, 0)) as crm:
        with pytest.raises(ValueError, match="naive"):
            crm.contacts.add(netcrm.Contact("Ada"))
    with netcrm.open(tmp_path / "x.db") as crm:
        assert len(crm.contacts) == 0


def test_an_exception_in_the_clock_reaches_the_caller(tmp_path: Path) -> None:
    def broken() -> dt.datetime:
        raise RuntimeError("clock is broken")

    with netcrm.open(tmp_path / "x.db", clock=broken) as crm:
        with pytest.raises(RuntimeError, match="clock is broken"):
            crm.contacts.add(netcrm.Contact("Ada"))
        assert crm.integrity_check() == "ok"


# -- a closed database ----------------------------------------------------------------------------


@pytest.mark.parametrize("use", [
    lambda crm: crm.contacts.add(netcrm.Contact("Ada")),
    lambda crm: crm.contacts.get(1),
    lambda crm: len(crm.contacts),
    lambda crm: list(crm.contacts),
    lambda crm: crm.contacts.search("ada"),
    lambda crm: crm.integrity_check(),
    lambda crm: crm.path,
    lambda crm: crm.now(),
], ids=["add", "get", "len", "iter", "search", "integrity_check", "path", "now"])
def test_using_a_closed_database_raises_netcrm_error(tmp_path: Path, use: Callable[[netcrm.CRM], object]) -> None:
    crm = netcrm.open(tmp_path / "x.db")
    crm.close()
    assert crm.closed
    with pytest.raises(netcrm.Error, match="closed") as info:
        use(crm)
    assert_no_cpp_words(str(info.value))


def test_closing_twice_is_fine_and_repr_says_closed(tmp_path: Path) -> None:
    crm = netcrm.open(tmp_path / "x.db")
    crm.close()
    crm.close()
    assert repr(crm) == "<netcrm.CRM closed>"


# -- files netcrm must not open -------------------------------------------------------------------


def test_a_text_file_raises_incompatible_database_and_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n" * 200)
    before = path.read_bytes()
    with pytest.raises(netcrm.IncompatibleDatabase) as info:
        netcrm.open(path)
    e = info.value
    assert isinstance(e, OSError) and isinstance(e, netcrm.FileError)
    assert e.filename == str(path)
    assert "not a netcrm database" in str(e)
    assert e.file_version is None
    assert e.supported_version is not None
    assert path.read_bytes() == before
    assert sibling_files(path) == set()
    assert_no_cpp_words(str(e))


def test_another_applications_sqlite_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(str(path))
    con.executescript("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT);"
                      "INSERT INTO contacts(name) VALUES ('someone else''s data');")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(netcrm.IncompatibleDatabase) as info:
        netcrm.open(path)
    assert info.value.filename == str(path)
    assert "another application" in str(info.value)
    assert path.read_bytes() == before
    assert sqlite_pragma(path, "application_id") == 0
    assert_no_cpp_words(str(info.value))


def test_an_empty_database_stamped_by_another_application_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "stamped.sqlite"
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA application_id = 1179339864")  # 'FSQX': some other program's file, no tables yet
    con.commit()
    con.close()
    before = path.read_bytes()
    assert before  # SQLite wrote a header
    with pytest.raises(netcrm.IncompatibleDatabase):
        netcrm.open(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_netcrm_names_both_versions_and_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with netcrm.open(path) as crm:
        crm.contacts.add(netcrm.Contact("Ada"))
    newer = netcrm.SCHEMA_VERSION + 1
    con = sqlite3.connect(str(path))
    con.execute(f"PRAGMA user_version = {newer}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(netcrm.IncompatibleDatabase) as info:
        netcrm.open(path)
    e = info.value
    assert e.file_version == newer
    assert e.supported_version == netcrm.SCHEMA_VERSION
    assert str(newer) in str(e) and str(netcrm.SCHEMA_VERSION) in str(e)
    assert "newer" in str(e)
    assert e.filename == str(path)
    assert path.read_bytes() == before
    assert sqlite_pragma(path, "user_version") == newer
    assert_no_cpp_words(str(e))


def test_a_path_in_a_missing_directory_raises_file_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "x.db"
    with pytest.raises(OSError) as info:
        netcrm.open(path)
    e = info.value
    assert isinstance(e, netcrm.FileError)
    assert not isinstance(e, netcrm.IncompatibleDatabase)
    assert e.filename == str(path)
    assert not path.parent.exists()
    assert_no_cpp_words(str(e))


def test_a_directory_raises_file_error(tmp_path: Path) -> None:
    with pytest.raises(netcrm.FileError, match="directory") as info:
        netcrm.open(tmp_path)
    assert info.value.filename == str(tmp_path)


def test_create_false_on_a_missing_file_raises_file_error_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(netcrm.FileError):
        netcrm.open(path, create=False)
    assert not path.exists()


# -- messages -------------------------------------------------------------------------------------


def collected_messages(tmp_path: Path) -> list[str]:
    out: list[str] = []

    def catch(fn: Callable[[], object]) -> None:
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - we want every message
            out.append(f"{type(e).__name__}: {e}")
        else:
            raise AssertionError(f"{fn} raised nothing")

    text = tmp_path / "text.txt"
    text.write_text("hello\n" * 100)
    crm = netcrm.open(tmp_path / "x.db")
    a = crm.contacts.add(netcrm.Contact("Ada"))
    catch(lambda: crm.contacts.get(999))
    catch(lambda: crm.contacts.remove(999))
    catch(lambda: crm.contacts.merge(a, a))
    catch(lambda: crm.contacts.add(netcrm.Contact("")))
    catch(lambda: crm.contacts.add(netcrm.Contact("a\x00b")))
    catch(lambda: crm.contacts.add(netcrm.Contact("\udcff")))
    catch(lambda: crm.contacts.add(netcrm.Contact("Ada", introduced_by=999)))
    catch(lambda: crm.contacts.add_note(a, "n", at=dt.datetime(2026, 1, 1)))
    catch(lambda: crm.contacts.search("\x00"))
    catch(lambda: netcrm.PartialDate(2, 30))
    catch(lambda: netcrm.PartialDate.parse("tomorrow"))
    catch(lambda: netcrm.open(text))
    catch(lambda: netcrm.open(tmp_path / "missing" / "x.db"))
    crm.close()
    catch(lambda: crm.contacts.add(netcrm.Contact("Ada")))
    return out


def test_no_message_names_a_cpp_type(tmp_path: Path) -> None:
    messages = collected_messages(tmp_path)
    assert len(messages) == 14
    for m in messages:
        assert_no_cpp_words(m)


def test_error_attributes_are_plain_values_usable_after_close(crm: netcrm.CRM) -> None:
    # The attributes are plain Python values (not C++ proxies): usable after the store is gone.
    with pytest.raises(netcrm.NotFound) as info:
        crm.contacts.get(5)
    crm.close()
    assert (info.value.kind, info.value.id) == ("contact", 5)
    assert isinstance(info.value.id, int)


def test_storage_errors_carry_the_sqlite_code(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(netcrm.StorageError) as info:
        netcrm.open(path)
    assert isinstance(info.value.sqlite_code, int) and info.value.sqlite_code != 0

