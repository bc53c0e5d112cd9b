"""The case key check (casekey.py): one rule and one wording wherever a case key comes in
(an input's «sak», a scan's name or folder, `ipdocs archive SAK`)."""

from __future__ import annotations

import pytest

from ipdocs import casekey


@pytest.mark.parametrize(
    "case", ["IP-2026-0042", "ip_7", "Čáhcegeađgi-1", "A" * 40, "CONSOLE", "com10"]
)
def test_good_case_keys(case):
    assert casekey.problem(case, where="feltet «sak»") is None


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("15876510089", "ser ut som et fødselsnummer"),
        ("158765 10089", "ser ut som et fødselsnummer"),  # written with a space
        ("IP-158765-10089", "ser ut som et fødselsnummer"),  # hidden behind dashes
        ("CON", "Windows bruker dette navnet"),
        ("lpt1", "Windows bruker dette navnet"),
        ("IP 2026", "kan ikke brukes som saksnøkkel"),
        ("IP.2026", "kan ikke brukes som saksnøkkel"),
        ("../x", "kan ikke brukes som saksnøkkel"),
        ("A" * 41, "høyst 40 tegn"),
        ("IP-1\n", "kan ikke brukes som saksnøkkel"),
    ],
)
def test_bad_case_keys_say_why_and_never_repeat_a_fodselsnummer(case, says):
    problem = casekey.problem(case, where="SAK")
    assert problem is not None and problem.where == "SAK"
    text = str(problem)
    assert says in text and "IP-2026-0042" in text
    assert "15876510089" not in text and "10089" not in text.replace("IP-2026-0042", "")
