"""redact: every form ipdocs accepts as a fødselsnummer is masked in what people read."""

from __future__ import annotations

import sqlite3

import pytest

from ipdocs import errors
from ipdocs.errors import Problem, redact


@pytest.mark.parametrize(
    "text", ["15876510089", "158765 10089", "158765-10089", "158765:10089", "x15876510089.yaml"]
)
def test_every_accepted_form_is_masked(text):
    assert "10089" not in redact(text) and "***********" in redact(text)


@pytest.mark.parametrize("text", ["IP-2026-0042", "400 31 579", "2026-12-03", "123456789012"])
def test_other_numbers_are_left_alone(text):
    assert redact(text) == text


def test_a_problem_never_shows_the_number():
    problem = Problem("feltet «sprak»", "«158765-10089» er ikke et språk ipdocs kan skrive.")
    assert "10089" not in str(problem)


@pytest.mark.parametrize(
    ("exc", "fault", "code"),
    [
        (
            errors.InputError([Problem("filen", "Tom.")]),
            errors.Fault.input,
            errors.ExitCode.refused,
        ),
        (errors.TemplateError("mal"), errors.Fault.system, errors.ExitCode.failed),
        (errors.ConversionError("pdf"), errors.Fault.system, errors.ExitCode.failed),
        (errors.DiskFull("full"), errors.Fault.system, errors.ExitCode.failed),
        (errors.PartlySaved("halvt"), errors.Fault.system, errors.ExitCode.failed),
        (errors.ConfigError("toml"), errors.Fault.system, errors.ExitCode.usage),
        (OSError(28, "No space left on device"), errors.Fault.system, errors.ExitCode.failed),
        (sqlite3.OperationalError("locked"), errors.Fault.system, errors.ExitCode.failed),
        (MemoryError(), errors.Fault.system, errors.ExitCode.failed),
        (KeyError("x"), errors.Fault.program, errors.ExitCode.failed),
        (KeyboardInterrupt(), errors.Fault.stopped, errors.ExitCode.interrupted),
        (errors.Terminated(), errors.Fault.stopped, errors.ExitCode.terminated),
    ],
)
def test_classify_says_whose_fault_and_which_exit_code(exc, fault, code):
    """The watcher sends an input to feil/ only for `input`; it gives the file back to be
    tried again for `system`, and reports `program` faults; the CLI exits with the code."""
    verdict = errors.classify(exc)
    assert verdict.fault is fault and verdict.exit_code is code


def test_the_exit_code_of_a_finished_command():
    assert errors.outcome() is errors.ExitCode.ok
    assert errors.outcome(refused=2) is errors.ExitCode.refused
    assert errors.outcome(refused=2, stopped=1) is errors.ExitCode.failed
