"""Buggy tables: repair a corrupted table in your head, filter it, and compute a statistic.

A table of employees was corrupted by described bugs; the question filters the repaired
table and asks for a count, sum, mean, minimum or maximum. A tiny example::

    bug: the salary of every row with an even id was written in thousands (52.5 = 52500)
    | id | dept | salary |        | 1 | IT | 40000 |        | 2 | IT | 52.5 |
    question: mean salary of rows with dept = IT     → 46250.00

Bugs (one or two per table, never touching the same column): *duplicated* rows (exact
copies; count each id once), a *rotated* column (its values moved down one row, the last
value wrapped to the top), *swapped* header labels of two columns, *thousands* (salaries of
even ids written in thousands), *nulls* (cells shown as NULL; a row with NULL in a column the
question uses is left out). Columns are always named by their true meaning. The answer is
one number; within 0.01 of the exact value counts (the gold is the value rounded to two
decimals). Every bug changes the answer (the naive reading gives a different value), and a
gold of 0 never occurs (ages, years, scores and salaries are positive and the filter keeps at
least one row), so "0" is never a free guess. Filters keep at least two rows (one row would
make every statistic that row's cell), counts are asked rarely (a count is a small integer
many tables share), ids are four-digit staff numbers (so a small minimum is not the table's
most frequent number) and the number of rows varies within a level.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import AnswerError, close_enough, parse_number, scalar_forms
from synlog.tasks.common.names import pick_names
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

NUMERIC = ("age", "years", "score", "salary")
DEPARTMENTS = ("Sales", "IT", "HR", "Ops", "Legal")
BUGS = ("duplicated", "rotated", "swapped", "thousands", "nulls")
STATISTICS = ("count", "sum", "mean", "min", "max")
#: how often each statistic is asked: a count is a small integer that many tables share, so it
#: is asked rarely (it made "2.00" or "4.00" the gold of up to 7 % of rows)
STATISTIC_SHARES = (0.06, 0.235, 0.235, 0.235, 0.235)
TOLERANCE = 0.01
#: the answer the prompt shows as an example of the format
EXAMPLE_ANSWER = "46250.00"


def true_rows(rng: np.random.Generator, n: int) -> list[dict]:
    """``n`` employees with distinct ids in random order."""
    names = pick_names(rng, n) if n <= 40 else [f"E{i}" for i in range(n)]
    # four-digit staff numbers: small ids would collide with small years and scores, so a
    # minimum such as "3" would be the most frequent number printed in the table
    ids = (rng.choice(9000, n, replace=False) + 1000).tolist()
    return [{"id": ids[i], "name": names[i], "dept": DEPARTMENTS[int(rng.integers(len(DEPARTMENTS)))],
             "age": int(rng.integers(21, 66)), "years": int(rng.integers(1, 31)),
             "score": int(rng.integers(1, 101)), "salary": int(rng.integers(60, 241)) * 500} for i in range(n)]


def corrupt(rng: np.random.Generator, rows: list[dict], bugs: list[dict]) -> tuple[list[str], list[list[str]]]:
    """The header and cell text of ``rows`` after ``bugs``."""
    header = ["id", "name", "dept", *NUMERIC]
    cells = [{k: str(v) for k, v in row.items()} for row in rows]
    for bug in bugs:
        kind = bug["kind"]
        if kind == "rotated":
            column = [c[bug["column"]] for c in cells]
            for c, value in zip(cells, column[-1:] + column[:-1], strict=False):
                c[bug["column"]] = value
        elif kind == "thousands":
            for c in cells:
                if int(c["id"]) % 2 == 0:
                    c["salary"] = f"{int(c['salary']) / 1000:g}"
        elif kind == "nulls":
            for i in bug["rows"]:
                cells[i][bug["column"]] = "NULL"
        elif kind == "swapped":
            a, b = bug["columns"]
            header = [b if h == a else a if h == b else h for h in header]
    table = [[c[key] for key in ("id", "name", "dept", *NUMERIC)] for c in cells]
    for bug in bugs:
        if bug["kind"] == "duplicated":
            for i in sorted(bug["rows"], reverse=True):
                table.insert(i + 1 + int(rng.integers(0, 3)), list(table[i]))
    return header, table


def answer_for(rows: list[dict], conditions: list[dict], statistic: str, column: str) -> Fraction | None:
    """The statistic over the rows that pass every condition (None if no row passes)."""
    chosen = [r for r in rows if all(passes(r, c) for c in conditions) and r.get(column) is not None]
    if not chosen:
        return None
    values = [Fraction(r[column]) for r in chosen]
    return {"count": lambda: Fraction(len(values)), "sum": lambda: sum(values, Fraction(0)),
            "mean": lambda: sum(values, Fraction(0)) / len(values),
            "min": lambda: min(values), "max": lambda: max(values)}[statistic]()


def passes(row: dict, condition: dict) -> bool:
    """Whether ``row`` meets one condition (a NULL in the column fails it)."""
    value = row.get(condition["column"])
    if value is None:
        return False
    if condition["op"] == "=":
        return value == condition["value"]
    return value > condition["value"] if condition["op"] == ">" else value < condition["value"]


@register
class BuggyTables(Task):
    """Repair a table corrupted by described bugs, filter it, and compute a statistic."""

    name, family, version = "buggy_tables", "language", 2
    knobs = Knobs(
        rows=Knob(int, levels=[(5, 7), (6, 8), (7, 9), (8, 10), (9, 11), (10, 12), (12, 14), (14, 16), (16, 18),
                               (18, 22)], lo=3, hi=40, help="true rows (a range: the count of rows varies)"),
        bugs=Knob(int, levels=[1, 1, 1, 1, 2, 2, 2, 2, 2, 2], lo=1, hi=2, help="bugs applied"),
        conditions=Knob(int, levels=[0, 1, 1, 1, 1, 2, 2, 2, 2, 2], lo=0, hi=3, help="filter conditions"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        rows = true_rows(rng, p.rows)
        bugs, used = [], set()
        for kind in (str(k) for k in rng.choice(BUGS, p.bugs, replace=False)):
            free = [c for c in NUMERIC if c not in used]
            if kind == "thousands":
                if "salary" in used:
                    raise Reject("salary already corrupted")
                bug = {"kind": kind}
                used.add("salary")
            elif kind == "swapped":
                bug = {"kind": kind, "columns": sorted(str(c) for c in rng.choice(free, 2, replace=False))}
                used |= set(bug["columns"])
            elif kind in ("rotated", "nulls"):
                bug = {"kind": kind, "column": str(rng.choice(free))}
                if kind == "nulls":
                    bug["rows"] = sorted(int(i) for i in rng.choice(p.rows, max(1, p.rows // 5), replace=False))
                used.add(bug["column"])
            else:
                bug = {"kind": kind, "rows": sorted(int(i) for i in rng.choice(p.rows, max(1, p.rows // 4),
                                                                                replace=False))}
            bugs.append(bug)
        if {b["kind"] for b in bugs} >= {"duplicated", "rotated"}:
            raise Reject("duplicates and a rotated column are never combined")
        header, table = corrupt(rng, rows, bugs)
        repaired = [dict(r) for r in rows]
        for bug in bugs:
            if bug["kind"] == "nulls":
                for i in bug["rows"]:
                    repaired[i][bug["column"]] = None
        touched = [c for b in bugs for c in b.get("columns", [b.get("column", "salary")])]
        column = str(rng.choice(touched)) if rng.random() < 0.7 else str(rng.choice(NUMERIC))
        statistic = str(rng.choice(STATISTICS, p=STATISTIC_SHARES))
        conditions = []
        for _ in range(p.conditions):
            on = str(rng.choice(["dept", *NUMERIC]))
            pivot = repaired[int(rng.integers(len(repaired)))][on]
            if pivot is None:
                raise Reject("condition on a NULL")
            op = "=" if on == "dept" else str(rng.choice([">", "<"]))
            conditions.append({"column": on, "op": op, "value": pivot})
        gold = answer_for(repaired, conditions, statistic, column)
        naive = answer_for(naive_reading(header, table), conditions, statistic, column)
        kept = answer_for(repaired, conditions, "count", column)
        if gold is None or gold == 0 or (naive is not None and close_enough(naive, gold, TOLERANCE)):
            raise Reject("empty filter or a bug that does not change the answer")
        if kept < 2:  # one row left makes every statistic that row's cell (and a count of 1)
            raise Reject("the filter keeps a single row")
        data = {"header": header, "table": table, "bugs": bugs, "conditions": conditions,
                "statistic": statistic, "column": column, "exact": str(gold)}
        effort = len(table) * (1 + len(bugs)) * (1 + len(conditions))
        return Problem(data, f"{float(gold):.2f}", float(effort))

    def verify(self, problem: dict, answer: str) -> Verdict:
        try:
            value = parse_number(answer)
        except AnswerError as error:
            return Verdict.unparseable(str(error))
        if not close_enough(value, Fraction(problem["exact"]), TOLERANCE):
            return Verdict.wrong(f"{float(value):g} is not within {TOLERANCE} of the answer")
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        naive = answer_for(naive_reading(problem["header"], problem["table"]), problem["conditions"],
                           problem["statistic"], problem["column"])
        shortcuts = {"the example answer": EXAMPLE_ANSWER}
        if naive is not None:  # the table read as shown, ignoring every bug
            shortcuts["the naive reading"] = f"{float(naive):.2f}"
        return shortcuts

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = float(Fraction(problem.data["exact"]))
        return [f"{gold + 1:.2f}", f"{gold * 1.1 + 0.5:.2f}", f"{gold:.2f} or {gold + 1:.2f}", "0", f"{-gold:.2f}"]


def naive_reading(header: list[str], table: list[list[str]]) -> list[dict]:
    """The table read as shown, ignoring the bugs and NULL as 0 (to make sure every bug matters)."""
    rows = []
    for line in table:
        row = {}
        for key, cell in zip(header, line, strict=False):
            row[key] = cell if key in ("name", "dept") else Fraction(0 if cell == "NULL" else cell)
        rows.append(row)
    return rows
