"""The property tests (tests/test_properties.py) with many more examples than CI runs.

    python bench/properties.py [--examples 2000]

Prints pytest's summary and how long it took.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    opts = parser.parse_args()
    env = dict(
        os.environ,
        HYPOTHESIS_PROFILE="long",
        IPDOCS_PROPERTY_EXAMPLES=str(opts.examples),
        IPDOCS_PROPERTY_TIMEOUT="7200",
    )
    started = time.monotonic()
    code = subprocess.call(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--timeout",
            "3600",
            str(ROOT / "tests" / "test_properties.py"),
        ],
        cwd=ROOT,
        env=env,
    )
    print(f"{opts.examples} examples per property: {time.monotonic() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
