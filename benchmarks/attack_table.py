"""Run the sandbox attack suite on every backend and print its results as a markdown table.

    python benchmarks/attack_table.py            # the table, for README.md and docs/sandbox.md

One row per attack (the test's docstring-free name), one column per backend: ``contained``
(passed), ``skipped: <reason>`` or ``FAILED``. It runs pytest on tests/sandbox/test_attacks*.py
with a JUnit report and reads that back, so the table is what the suite did on this machine.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("process", "bwrap", "warm", "docker")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "attacks.xml"
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:randomly",
                        "tests/sandbox/test_attacks.py", "tests/sandbox/test_attacks_host.py",
                        f"--junitxml={report}"], cwd=ROOT, check=False, capture_output=True)
        tree = ET.parse(report)
    rows: dict[str, dict[str, str]] = {}
    for case in tree.iter("testcase"):
        match = re.fullmatch(r"test_(.+)\[(\w+)\]", case.get("name", ""))
        if not match:
            continue
        attack, backend = match.group(1).replace("_", " "), match.group(2)
        if case.find("failure") is not None or case.find("error") is not None:
            cell = "FAILED"
        elif (skipped := case.find("skipped")) is not None:
            cell = "n/a: " + (skipped.get("message") or "").split(": ", 1)[-1][:70]
        else:
            cell = "contained"
        rows.setdefault(attack, {})[backend] = cell
    print("| attack | " + " | ".join(BACKENDS) + " |")
    print("|---" * (len(BACKENDS) + 1) + "|")
    for attack, cells in rows.items():
        print(f"| {attack} | " + " | ".join(cells.get(b, "-") for b in BACKENDS) + " |")
    failed = sum(cell == "FAILED" for cells in rows.values() for cell in cells.values())
    passed = sum(cell == "contained" for cells in rows.values() for cell in cells.values())
    print(f"\n{passed} contained, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
