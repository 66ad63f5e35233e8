"""The types users see: mypy --strict accepts a typed program using the public API (typed_usage.py)
and rejects wrong ones, the package itself passes --strict, and _core.pyi lists exactly what the
extension exports.

mypy runs as ``sys.executable -m mypy`` from a directory outside the source tree, with the same
PYTHONPATH as the tests, so it finds netcrm the way a user's checker does: as an installed package
with py.typed and _core.pyi (PEP 561).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import netcrm
import netcrm._core as core
from helpers import child_env

HERE = Path(__file__).resolve().parent
PACKAGE = Path(netcrm.__file__).resolve().parent

ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(args: list[str], cwd: Path, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-color-output",
                           "--cache-dir", str(cache), *args],
                          cwd=cwd, env=child_env(**env), capture_output=True, text=True, timeout=180)


def errors(output: str) -> list[tuple[str, int, str | None, str]]:
    out = []
    for line in output.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            out.append((Path(m["file"]).name, int(m["line"]), m["code"], m["message"]))
    return out


# -- a correct program passes ---------------------------------------------------------------------


def test_typed_usage_passes_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    result = mypy([str(HERE / "typed_usage.py")], cwd=tmp_path, cache=mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_usage_runs_and_sees_what_it_expects(tmp_path: Path) -> None:
    import typed_usage

    seen = typed_usage.use(tmp_path / "typed.db")
    assert sorted(seen[:2]) == ["found Ada King", "found Ada Lovelace"]  # in rank order, which is SQLite's call
    assert seen[2:] == [
        "first Ada Lovelace",
        "merged Ada King",
        "birthday 2027-12-10",
        "leap 2027-02-28",
        "created 2026-03-01T09:00:00+00:00",
        "count 1 1",
        "tags ['math']",
        "listed [1]",
        "find None",
        "in True",
        "not found contact 10000",
        "invalid InvalidInput",
        "file error True",
    ]


def test_typed_usage_of_the_collections_runs_and_sees_what_it_expects(tmp_path: Path) -> None:
    import typed_usage

    assert typed_usage.use_collections(tmp_path / "collections.db") == [
        "event Paris.rb 12.50 True True 16.30 1 True",
        "interaction coffee Europe/Paris True 0",
        "goals True 2/2 80.00 3 16.30 True",
        "follow-ups 1 (2, 'weeks') True ['created', 'snoozed']",
        "favours advice True True 2",
        "digest True 1 ['as_of', 'due']",
        "dicts Ada Lovelace []",
        "frames [1, 1, 2, 3, 3, 3]",
    ]


PRELUDE = textwrap.dedent('''\
    import datetime as dt
    import netcrm
    crm = netcrm.open(":memory:")
    c = crm.contacts.add(netcrm.Contact("Ada"))
''')


# -- documented forms are accepted, one per file, so a failure names the form ----------------------

RIGHT = [
    ("channels_as_str_and_tuples",
     'd = netcrm.Contact("Ada", emails=["a@x.example", ("b@x.example", "work")], phones=["+1 555 0100"],\n'
     '                   urls=[("https://ada.example", "blog")])'),
    ("channels_as_labeled_values", 'd = netcrm.Contact("Ada", emails=[netcrm.LabeledValue("a@x.example", "work")])'),
    ("iterate_search_results", 'names = [r.display_name for r in crm.contacts.search("ada")]'),
    ("index_search_results", 'top: netcrm.Contact = crm.contacts.search("ada")[0]'),
    ("index_merge_history", 'merged_id: object = crm.contacts.merge_history(c)[0]["id"]'),
    ("list_results", 'names = [r.display_name for r in crm.contacts.list(tag="vip", limit=5)]'),
    ("add_with_keywords", 'd = crm.contacts.add(display_name="Ada", tags=["vip"], birthday=netcrm.PartialDate(4, 15))'),
    ("note_with_aware_time",
     'd = crm.contacts.add_note(c, "hi", at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))'),
    ("iterate_the_collection", 'ids = [x.id for x in crm.contacts]'),
    ("catch_not_found_as_key_error", 'try:\n    crm.contacts[5]\nexcept KeyError as e:\n    print(e)'),
]


@pytest.fixture(scope="module")
def right_results(tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path) -> tuple[dict[str, list[tuple[int, str | None, str]]], str]:
    d = tmp_path_factory.mktemp("right")
    files = []
    for name, source in RIGHT:
        f = d / f"right_{name}.py"
        f.write_text(PRELUDE + source + "\n")
        files.append(str(f))
    result = mypy(files, cwd=d, cache=mypy_cache)
    by_file: dict[str, list[tuple[int, str | None, str]]] = {Path(f).name: [] for f in files}
    for file, line, code, message in errors(result.stdout):
        by_file.setdefault(file, []).append((line, code, message))
    return by_file, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "code"), RIGHT, ids=[r[0] for r in RIGHT])
def test_mypy_accepts_documented_use_of_the_api(
        right_results: tuple[dict[str, list[tuple[int, str | None, str]]], str], name: str, code: str) -> None:
    by_file, _ = right_results
    found = by_file[f"right_{name}.py"]
    assert found == [], "mypy --strict rejects documented use:\n" + "\n".join(
        f"  line {line}: {message} [{c}]" for line, c, message in found)


# -- wrong programs are rejected ------------------------------------------------------------------


# (name, the offending line, the mypy error code it must produce)
WRONG = [
    ("int_display_name", 'netcrm.Contact(display_name=42)', "arg-type"),
    ("missing_collection_method", 'crm.contacts.frobnicate()', "attr-defined"),
    ("missing_crm_method", 'crm.commit()', "attr-defined"),
    ("int_clock", 'netcrm.open(":memory:", clock=5)', "arg-type"),
    ("str_month", 'netcrm.PartialDate("04", 15)', "arg-type"),
    ("int_tag_filter", 'crm.contacts.list(tag=1)', "arg-type"),
    ("optional_created_at_as_datetime", 'when: dt.datetime = c.created_at', "assignment"),
    ("not_found_id_as_str", 'def f(e: netcrm.NotFound) -> str:\n    return e.id', "return-value"),
    ("incompatible_version_as_int", 'def g(e: netcrm.IncompatibleDatabase) -> int:\n    return e.file_version',
     "return-value"),
    ("search_limit_as_str", 'crm.contacts.search("ada", limit="10")', "arg-type"),
    ("merge_wants_contacts_or_ids", 'crm.contacts.merge(c, "2")', "arg-type"),
    ("positional_option", 'crm.goals.history(1, "month")', "misc"),
    ("list_target", 'crm.goals.add("x", metric="new_contacts", at_least=[5])', "arg-type"),
    ("digest_limit_as_str", 'crm.digest(limit="5")', "arg-type"),
]


@pytest.fixture(scope="module")
def wrong_results(tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path) -> tuple[dict[str, list[tuple[int, str | None, str]]], str]:
    d = tmp_path_factory.mktemp("wrong")
    files = []
    for name, code_line, _ in WRONG:
        f = d / f"wrong_{name}.py"
        f.write_text(PRELUDE + code_line + "\n")
        files.append(str(f))
    result = mypy(files, cwd=d, cache=mypy_cache)
    by_file: dict[str, list[tuple[int, str | None, str]]] = {Path(f).name: [] for f in files}
    for file, line, code, message in errors(result.stdout):
        by_file.setdefault(file, []).append((line, code, message))
    assert result.returncode == 1, result.stdout + result.stderr
    return by_file, result.stdout


@pytest.mark.parametrize(("name", "code_line", "code"), WRONG, ids=[w[0] for w in WRONG])
def test_mypy_rejects_wrong_use_of_the_api(
        wrong_results: tuple[dict[str, list[tuple[int, str | None, str]]], str],
        name: str, code_line: str, code: str) -> None:
    by_file, output = wrong_results
    found = by_file[f"wrong_{name}.py"]
    bad_line = len(PRELUDE.splitlines()) + len(code_line.splitlines())
    assert [(line, c) for line, c, _ in found] == [(bad_line, code)], output


# -- the package itself ---------------------------------------------------------------------------


def test_the_package_passes_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    # A copy of exactly what is imported (sources, stub, marker; not the binary), checked as source.
    src = tmp_path / "src" / "netcrm"
    shutil.copytree(PACKAGE, src, ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    result = mypy(["-p", "netcrm"], cwd=tmp_path, cache=mypy_cache, MYPYPATH=str(tmp_path / "src"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_py_typed_and_the_core_stub_ship_next_to_the_package() -> None:
    assert (PACKAGE / "py.typed").is_file()
    assert (PACKAGE / "_core.pyi").is_file()


def stub_names() -> tuple[set[str], set[str]]:
    tree = ast.parse((PACKAGE / "_core.pyi").read_text())
    module: set[str] = set()
    store: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            module.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            module.add(node.target.id)
        if isinstance(node, ast.ClassDef) and node.name == "Store":
            store = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
    return module, store


def test_the_core_stub_lists_exactly_what_the_extension_exports() -> None:
    module, store = stub_names()
    runtime = {n for n in dir(core) if not n.startswith("_")}
    assert module == runtime
    runtime_store = {n for n in dir(core.Store) if not n.startswith("_")}
    assert store == runtime_store


def test_every_public_name_of_netcrm_is_exported() -> None:
    for name in netcrm.__all__:
        assert hasattr(netcrm, name), name
