"""Settle tracking with a clock the test controls; the files are real."""

from __future__ import annotations

import os

from ipdocs.watch.stability import SettleTracker, current


def test_a_file_is_ready_after_the_settle_time_unchanged(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("sak: IP-1\n")
    tracker = SettleTracker(2.0)
    tracker.see(path, now=100.0)
    assert tracker.next_due() == 102.0
    assert tracker.ready(101.9) == []
    assert [p for p, _ in tracker.ready(102.0)] == [path]
    assert tracker.ready(200.0) == []  # offered once


def test_a_write_during_the_wait_starts_it_again(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("sak: IP-1\n")
    tracker = SettleTracker(2.0)
    tracker.see(path, now=100.0)
    with open(path, "a") as f:  # a slow writer's next chunk, seen only at the deadline
        f.write("dokument: referat\n")
    assert tracker.ready(102.0) == []
    assert tracker.next_due() == 104.0
    assert [p for p, _ in tracker.ready(104.0)] == [path]


def test_an_event_restarts_the_wait_and_the_same_state_does_not(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("x")
    tracker = SettleTracker(1.0)
    tracker.see(path, now=10.0)
    tracker.see(path, now=10.5)  # nothing changed: the wait goes on
    assert tracker.next_due() == 11.0
    os.utime(path, ns=(0, 1_000_000_000))
    tracker.see(path, now=10.7)
    assert tracker.next_due() == 11.7


def test_held_back_and_gone_files(tmp_path):
    held, gone = tmp_path / "held.xlsx", tmp_path / "gone.yaml"
    held.write_text("x")
    gone.write_text("y")
    tracker = SettleTracker(0.5)
    tracker.see(held, now=0.0)
    tracker.see(gone, now=0.0)
    tracker.hold(held, until=5.0)
    gone.unlink()
    assert tracker.ready(1.0) == []
    assert gone not in tracker and held in tracker
    assert tracker.ready(5.0) == [(held, current(held))]
