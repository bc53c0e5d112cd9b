"""redact: every form ipdocs accepts as a fødselsnummer is masked in what people read."""

from __future__ import annotations

import pytest

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
