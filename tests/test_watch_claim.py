"""Claim by rename, taking over from watchers that are gone, and same-bytes locks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import PurePath

import pytest

from ipdocs.watch.claim import HashLocks, Owner
from ipdocs.watch.folders import Folders


@pytest.fixture
def folders(tmp_path):
    f = Folders(tmp_path / "inbox")
    f.inbox.mkdir()
    f.ensure()
    return f


def _owner(folders, **kw) -> Owner:
    owner = Owner(folders, **kw)
    owner.start()
    return owner


def test_one_file_is_claimed_once(folders):
    (folders.inbox / "a.yaml").write_text("x")
    first, second = _owner(folders), _owner(folders)
    claim = first.claim(folders.inbox / "a.yaml", PurePath("a.yaml"))
    assert claim is not None and claim.path.read_text() == "x"
    assert claim.path == folders.work / first.id / "innboks" / "a.yaml"
    assert second.claim(folders.inbox / "a.yaml", PurePath("a.yaml")) is None
    back = first.release(claim)
    assert back == folders.inbox / "a.yaml" and back.read_text() == "x"
    first.stop()
    second.stop()
    assert os.listdir(folders.work) == []


def test_a_watcher_whose_process_ended_is_gone_and_its_files_are_taken_over(folders):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        info = {"host": os.uname().nodename, "pid": proc.pid, "started": None}
        (folders.work / "other-1.json").write_text(json.dumps(info))
        held = folders.work / "other-1" / "signert" / "IP-1" / "s.pdf"
        held.parent.mkdir(parents=True)
        held.write_text("scan")
        me = _owner(folders)
        assert me.stale_owners() == []  # it runs
    finally:
        proc.kill()
        proc.wait()
    assert me.stale_owners() == ["other-1"]
    claims = list(me.adopt("other-1"))
    assert [(c.rel, c.recovered) for c in claims] == [(PurePath("signert/IP-1/s.pdf"), True)]
    assert claims[0].path.read_text() == "scan"
    assert not (folders.work / "other-1").exists()
    assert not (folders.work / "other-1.json").exists()
    me.stop()


def _adopt(owner: Owner, stale: str, claims: list, errors: list) -> None:
    try:
        claims += owner.adopt(stale)
    except BaseException as exc:  # reported by the test, with the round
        errors.append(exc)


def test_two_watchers_taking_over_one_stopped_watcher_at_once_take_each_file_once(folders):
    """What a kill -9 of `ipdocs watch --jobs 2` leaves: its helper and a restarted watcher
    both take over the first one's folder, and one empties and removes it while the other
    is still listing it."""
    for round_ in range(30):
        stale = f"gone-{round_}"
        (folders.work / f"{stale}.json").write_text("{}")  # no process: gone
        for n in range(40):
            held = folders.work / stale / ("innboks" if n % 2 else f"signert/IP-{n}") / f"{n}.pdf"
            held.parent.mkdir(parents=True, exist_ok=True)
            held.write_text(str(n))
        owners = [_owner(folders), _owner(folders)]
        taken: list[list] = [[], []]
        errors: list[BaseException] = []
        threads = [
            threading.Thread(target=_adopt, args=(owner, stale, claims, errors))
            for owner, claims in zip(owners, taken, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], f"round {round_}: {errors!r}"
        names = sorted(c.path.name for c in taken[0] + taken[1])
        assert names == sorted(f"{n}.pdf" for n in range(40)), f"round {round_}"
        assert not (folders.work / stale).exists()
        assert not (folders.work / f"{stale}.json").exists()
        for owner, claims in zip(owners, taken, strict=True):
            for claim in claims:
                claim.path.unlink()
            owner.stop()
    assert os.listdir(folders.work) == []


def test_another_hosts_watcher_is_gone_only_when_its_heartbeat_is_old(folders):
    info = folders.work / "server2-42-abc.json"
    info.write_text(json.dumps({"host": "server2", "pid": 42, "started": None}))
    me = _owner(folders, lease=60)
    assert me.stale_owners() == []
    old = time.time() - 61
    os.utime(info, (old, old))
    assert me.stale_owners() == ["server2-42-abc"]
    me.stop()


def test_same_bytes_lock(folders):
    a, b = _owner(folders), _owner(folders)
    locks_a, locks_b = HashLocks(folders, a), HashLocks(folders, b)
    assert locks_a.acquire("ab" * 32)
    assert not locks_b.acquire("ab" * 32)
    locks_a.release("ab" * 32)
    assert locks_b.acquire("ab" * 32)
    # A lock left by a watcher that is gone is taken over, and swept; a live one's is kept.
    b.info.unlink()
    assert locks_a.acquire("ab" * 32)
    locks_a.release("ab" * 32)
    (folders.work / "laas" / ("cd" * 32)).write_text("finnes-ikke-1")
    c = _owner(folders)
    assert HashLocks(folders, c).acquire("ef" * 32)
    locks_a.sweep()
    assert sorted(os.listdir(folders.work / "laas")) == ["ef" * 32]
