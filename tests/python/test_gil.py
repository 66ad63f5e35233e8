"""Long calls into the C++ core release the GIL, so other Python threads keep running; and threads
sharing one store, or closing it under each other, get correct answers or netcrm.Error, never a crash.

How progress is measured: a "ticker" thread loops on ``time.sleep(0.0005)`` and counts. Sleeping
releases the GIL and needs almost no CPU, so the ticker's rate depends on how often it can get the
GIL back, not on how busy the machine is. While the main thread sits in C++ *with* the GIL, the
ticker gets it only between calls (about once per call); *without* it, the ticker runs throughout.
Its rate while we sleep is the yardstick, so a slow machine moves both sides of the comparison.
"""

from __future__ import annotations

import subprocess
import textwrap
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import netcrm
from helpers import child_env, python_command

N_CONTACTS = 20_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[netcrm.CRM]:
    path = tmp_path_factory.mktemp("gil") / "big.db"
    with netcrm.open(path) as crm:
        # Bulk-loaded through the same API users have; a handful of seconds.
        for i in range(N_CONTACTS):
            crm.contacts.add(netcrm.Contact(
                f"Person {i:05d}", organization=f"Org {i % 50}", tags=["common", f"g{i % 10}"],
                emails=[f"p{i}@example.com"], notes=[f"met at the common meetup number {i}"]))
        yield crm


class Ticker:
    def __init__(self) -> None:
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            time.sleep(0.0005)
            self.ticks += 1

    def __enter__(self) -> Ticker:
        self._thread.start()
        time.sleep(0.05)  # let it settle into its loop
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def rate_during(self, work: Callable[[], object], seconds: float) -> tuple[float, int]:
        """Ticks per second while ``work`` is called over and over for about ``seconds``; and the call count."""
        start_ticks, start = self.ticks, time.perf_counter()
        calls = 0
        while time.perf_counter() - start < seconds:
            work()
            calls += 1
        return (self.ticks - start_ticks) / (time.perf_counter() - start), calls


def progress_ratio(work: Callable[[], object], seconds: float = 0.6) -> tuple[float, int]:
    """The ticker's rate while ``work`` runs, as a fraction of its rate while the main thread sleeps."""
    with Ticker() as ticker:
        idle, _ = ticker.rate_during(lambda: time.sleep(0.02), seconds)
        busy, calls = ticker.rate_during(work, seconds)
    assert idle > 100, f"the ticker itself barely runs ({idle:.0f}/s): the machine is too loaded to judge"
    return busy / idle, calls


def assert_releases_gil(work: Callable[[], object], min_call_seconds: float) -> None:
    # A call must be long enough that holding the GIL through it would starve the ticker.
    t = time.perf_counter()
    work()
    took = time.perf_counter() - t
    assert took >= min_call_seconds, f"the call took {took * 1000:.1f} ms: too short to tell anything"
    # Best of three: a scheduler hiccup can spoil one attempt, never three in a row if the GIL is released.
    ratios = []
    for _ in range(3):
        ratio, calls = progress_ratio(work)
        ratios.append(ratio)
        if ratio >= 0.4:
            return
    pytest.fail(f"another thread made only {max(ratios):.0%} of its normal progress during the calls "
                f"(ratios {[f'{r:.2f}' for r in ratios]}): the GIL is held")


def test_search_releases_the_gil(big: netcrm.CRM) -> None:
    # Every contact matches, so SQLite ranks 20k rows; only a few come back to Python.
    assert len(big.contacts.search("common meetup", limit=3)) == 3
    assert_releases_gil(lambda: big.contacts.search("common meetup", limit=3), min_call_seconds=0.005)


def test_list_over_a_large_table_releases_the_gil(big: netcrm.CRM) -> None:
    # Ordering all 20k contacts by name (no index: a full sort) happens in C++; one page comes back.
    page = big.contacts.list(limit=5, offset=N_CONTACTS - 10)
    assert [c.display_name for c in page] == [f"Person {i:05d}" for i in range(N_CONTACTS - 10, N_CONTACTS - 5)]
    assert_releases_gil(lambda: big.contacts.list(limit=5, offset=N_CONTACTS - 10), min_call_seconds=0.002)


def test_threads_sharing_one_store_get_correct_answers(big: netcrm.CRM) -> None:
    errors: list[BaseException] = []
    results: dict[int, list[int]] = {}

    def worker(k: int) -> None:
        try:
            got = []
            for _ in range(10):
                got.append(len(big.contacts.search(f"g{k}", limit=5000)))
                got.append(big.contacts.count(tag=f"g{k}"))
            results[k] = got
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert results == {k: [N_CONTACTS // 10] * 20 for k in range(4)}


def test_a_python_clock_works_while_other_threads_use_the_store(tmp_path: Path) -> None:
    import datetime as dt

    when = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    with netcrm.open(tmp_path / "clock.db", clock=lambda: when) as crm:
        def add(k: int) -> None:
            for i in range(50):
                crm.contacts.add(netcrm.Contact(f"T{k} {i}"))

        threads = [threading.Thread(target=add, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(crm.contacts) == 150
        assert {c.created_at for c in crm.contacts} == {when}


CLOSER = textwrap.dedent('''
    import sys, threading
    import netcrm

    crm = netcrm.open(sys.argv[1])
    for i in range(3000):
        crm.contacts.add(netcrm.Contact(f"P {i}", notes=["common words here"]))
    outcome = []

    def reader():
        try:
            while True:
                crm.contacts.search("common", limit=3000)
        except netcrm.Error as e:
            outcome.append(str(e))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    import time; time.sleep(0.3)
    crm.close()
    for t in threads:
        t.join(30)
    assert len(outcome) == 3, outcome
    assert all("closed" in o for o in outcome), outcome
    print("ok", flush=True)
''')


def test_closing_while_other_threads_search_ends_them_with_netcrm_error(tmp_path: Path) -> None:
    # In a child process: if this crashes, it must not take the test run down with it.
    script = tmp_path / "closer.py"
    script.write_text(CLOSER)
    proc = subprocess.run(python_command(script, str(tmp_path / "c.db")), env=child_env(), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, f"rc={proc.returncode}\n{proc.stderr}"
    assert proc.stdout.strip() == "ok"
