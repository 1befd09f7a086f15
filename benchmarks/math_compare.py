"""Compare synlog's math answer checker with math-verify on a labelled corpus.

The corpus (``tests/data/math_pairs.jsonl``) holds (gold, answer, equivalent?) pairs, with the
checker options each pair needs (``kind``, ``variables``, ``allow_decimals``) and a category.
Labels are by construction: each family of pairs below states why its answers are, or are not,
the same mathematical object as the gold. Rebuild it with ``--rebuild``; run the comparison::

    pip install 'synlog[math]'                  # math-verify, optional
    python benchmarks/math_compare.py           # prints agreement and each checker's errors
    python benchmarks/math_compare.py --json out.json

Both checkers are called gold first, answer second. math-verify gets both texts wrapped in
``$...$`` so its LaTeX and plain-expression extractors both apply.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "math_pairs.jsonl"


def _pair(gold, answer, equivalent, category, kind="expr", variables=(), allow_decimals=False):
    return {"gold": gold, "answer": answer, "equivalent": equivalent, "category": category, "kind": kind,
            "variables": list(variables), "allow_decimals": allow_decimals}


def _decimal(value: Fraction) -> str | None:
    """The exact decimal of a value whose denominator has only 2s and 5s, else None."""
    q = value.denominator
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q != 1:
        return None
    scaled, digits = abs(value), 0
    while scaled.denominator != 1:
        scaled, digits = scaled * 10, digits + 1
    whole = str(scaled.numerator).rjust(digits + 1, "0")
    text = whole[:len(whole) - digits] + ("." + whole[len(whole) - digits:] if digits else "")
    return ("-" if value < 0 else "") + text


def build_corpus() -> list[dict]:
    """Every labelled pair, family by family."""
    pairs = []
    rationals = [Fraction(1, 2), Fraction(3, 4), Fraction(-5, 8), Fraction(2, 3), Fraction(-7, 3), Fraction(5, 6),
                 Fraction(9, 20), Fraction(11, 7), Fraction(-1, 5), Fraction(13, 4), Fraction(7, 1), Fraction(-12, 1)]
    for v in rationals:
        p, q = v.numerator, v.denominator
        gold = str(p) if q == 1 else f"{p}/{q}"
        sign, a = ("-" if p < 0 else ""), abs(p)
        same = [f"{sign}\\frac{{{a}}}{{{q}}}", f"{sign}\\dfrac{{{a}}}{{{q}}}", f"{2 * p}/{2 * q}", f"({gold})"]
        if _decimal(v):
            same.append(_decimal(v))
        for answer in same:
            pairs.append(_pair(gold, answer, True, "rational forms"))
        wrong = [f"{p}/{q + 1}", f"{-p}/{q}" if p else "1", f"{p + q}/{q}"]
        if not _decimal(v):
            wrong.append(f"{float(v):.3f}")  # rounded: not the exact value
        for answer in wrong:
            pairs.append(_pair(gold, answer, False, "rational near-misses"))
    for gold, answer in [("1/2", "2^{-1}"), ("1/2", "\\dfrac12"), ("1/4", "2^{-2}"), ("8", "2^3"), ("1/8", "0.125"),
                         ("1", "\\frac{3}{3}"), ("0", "-0"), ("100", "10^2"), ("1/2", "\\tfrac{1}{2}"),
                         ("3/2", "1.5"), ("-3/2", "-1.50"), ("1/1000", "0.001")]:
        pairs.append(_pair(gold, answer, True, "rational forms"))
    for gold, answer in [("1/3", "0.333"), ("1/3", "0.3333333"), ("2/3", "0.67"), ("1000", "1,000"),
                         ("1/2", "1/2.0001"), ("7/3", "2 1/3")]:
        pairs.append(_pair(gold, answer, gold == "1000" or gold == "7/3", "hard: separators, mixed numbers, rounding"))
    radicals = [("2*sqrt(2)", "\\sqrt{8}", True), ("2*sqrt(3)", "\\sqrt{12}", True), ("3*sqrt(2)", "\\sqrt{18}", True),
                ("sqrt(2)/2", "\\frac{1}{\\sqrt{2}}", True), ("sqrt(2)/2", "\\frac{\\sqrt{2}}{2}", True),
                ("2*sqrt(2)", "\\sqrt{6}", False), ("2*sqrt(2)", "2\\sqrt{3}", False), ("sqrt(5)", "5^{1/2}", True),
                ("2", "\\sqrt{4}", True), ("2", "\\sqrt[3]{8}", True), ("3", "\\sqrt[3]{9}", False),
                ("1 + sqrt(2)", "\\sqrt{2}+1", True), ("1 + sqrt(2)", "1 - \\sqrt{2}", False),
                ("sqrt(3)/3", "1/\\sqrt{3}", True), ("2*sqrt(5)", "\\sqrt{20}", True), ("4*sqrt(2)", "\\sqrt{32}", True),
                ("4*sqrt(2)", "\\sqrt{30}", False), ("sqrt(6)", "\\sqrt{2}\\sqrt{3}", True)]
    for gold, answer, same in radicals:
        pairs.append(_pair(gold, answer, same, "radicals"))
    constants = [("pi/2", "\\frac{\\pi}{2}", True, False), ("pi/2", "1.5707963", False, False),
                 ("pi/2", "1.5707963", True, True), ("pi/2", "1.57", False, True), ("pi", "3.14159265", True, True),
                 ("pi", "3.14", False, True), ("pi", "3.14159265", False, False), ("2*pi", "\\pi \\cdot 2", True, False),
                 ("E", "e", True, False), ("E", "2.718281828", True, True), ("E", "2.72", False, True),
                 ("exp(2)", "e^2", True, False), ("log(2)", "\\ln 2", True, False), ("log(2)", "0.693147", False, True),
                 ("log(2)", "0.69314718", True, True), ("sqrt(2)", "1.41421356", True, True),
                 ("sqrt(2)", "1.41421356", False, False), ("pi/4", "\\frac{1}{4}\\pi", True, False)]
    for gold, answer, same, decimals in constants:
        pairs.append(_pair(gold, answer, same, "constants and decimals", allow_decimals=decimals))
    for value in ["3", "-2", "1/2", "sqrt(2)"]:
        pairs.append(_pair(value, f"x = {value}", True, "named variable", variables=("x",)))
        pairs.append(_pair(value, f"x={value}", True, "named variable", variables=("x",)))
        pairs.append(_pair(value, f"y = {value}", False, "named variable", variables=("x",)))
    for gold, answer in [("3", "3 or 4"), ("3", "3, 4"), ("3", "x = 3 or x = 4"), ("3", "3 \\text{ or } 4"),
                         ("2", "\\pm 2"), ("2", "2 and -2"), ("2", "±2"), ("5", "5?"), ("5", "4 or 5"), ("5", "5; 6"),
                         ("1/2", "1/2 or 0.5"), ("0", "0 \\lor 1")]:
        pairs.append(_pair(gold, answer, False, "hedges", variables=("x",)))
    sets = [("1, 2, 3", "{3, 1, 2}", True), ("1, 2, 3", "\\{2, 3, 1\\}", True), ("1, 2, 3", "1, 2", False),
            ("1, 2, 3", "1, 2, 3, 4", False), ("-1, 1", "1, -1", True), ("-sqrt(2), sqrt(2)", "\\sqrt2, -\\sqrt2", True),
            ("1/2, 3", "3, 0.5", True), ("1/2, 3", "3, 1/3", False), ("0, 5", "5, 0", True), ("0, 5", "0, -5", False)]
    for gold, answer, same in sets:
        pairs.append(_pair(gold, answer, same, "sets", kind="set"))
    multisets = [("-1, 2, 2", "2, -1, 2", True), ("-1, 2, 2", "-1, 2", False), ("-1, 2, 2", "-1, -1, 2", False),
                 ("3, 3, 3", "3, 3, 3", True), ("3, 3, 3", "3", False), ("0, 0, 1", "1, 0, 0", True),
                 ("0, 0, 1", "0, 1, 1", False), ("1/2, 1/2", "0.5, 1/2", True), ("-2, -2, 5", "5, -2, -2", True),
                 ("-2, -2, 5", "5, -2", False)]
    for gold, answer, same in multisets:
        pairs.append(_pair(gold, answer, same, "roots with multiplicity", kind="multiset"))
    tuples = [("(1, 2)", "(1, 2)", True), ("(1, 2)", "(2, 1)", False), ("(1/2, -3)", "(0.5, -3)", True),
              ("(1/2, -3)", "(\\frac{1}{2}, -3)", True), ("(1, 2, 3)", "(1, 2)", False), ("(0, 0)", "(0, 0)", True),
              ("(-1, 4)", "(-1, -4)", False), ("(sqrt(2), 1)", "(\\sqrt{2}, 1)", True)]
    for gold, answer, same in tuples:
        pairs.append(_pair(gold, answer, same, "tuples", kind="tuple"))
    intervals = [("(-oo, 1] U (3, oo)", "(-\\infty, 1] \\cup (3, \\infty)", True),
                 ("(-oo, 1] U (3, oo)", "(3, \\infty) \\cup (-\\infty, 1]", True),
                 ("(-oo, 1] U (3, oo)", "(-\\infty, 1) \\cup (3, \\infty)", False),
                 ("(-oo, 1] U (3, oo)", "(-\\infty, 1] \\cup [3, \\infty)", False),
                 ("(-oo, 1] U (3, oo)", "(-\\infty, 1]", False), ("[0, 2]", "[0,2]", True), ("[0, 2]", "(0, 2]", False),
                 ("[0, 2]", "[0, 2)", False), ("[0, 2]", "[0, 3]", False), ("(1/2, 3)", "(0.5, 3)", True),
                 ("(1/2, 3)", "\\left(\\frac{1}{2}, 3\\right)", True), ("(-oo, oo)", "\\mathbb{R}", True),
                 ("(-oo, oo)", "(-\\infty, \\infty)", True), ("(-2, 2)", "(-2, 2) \\cup (3, 4)", False),
                 ("[-1, 1] U [2, 5)", "[-1,1]∪[2,5)", True), ("[-1, 1] U [2, 5)", "[-1,1]∪[2,5]", False),
                 ("(0, oo)", "(0, \\infty)", True), ("(0, oo)", "[0, \\infty)", False)]
    for gold, answer, same in intervals:
        pairs.append(_pair(gold, answer, same, "intervals", kind="intervals"))
    algebra = [("x^2 + 2*x + 1", "(x+1)^2", True), ("x^2 + 2*x + 1", "(x-1)^2", False), ("x^2 - 1", "(x-1)(x+1)", True),
               ("1", "\\sin^2 x + \\cos^2 x", True), ("exp(2*x)", "e^{2x}", True), ("exp(2*x)", "e^{x}e^{x}", True),
               ("exp(2*x)", "2e^{x}", False), ("2*x*cos(x^2)", "2x\\cos(x^2)", True), ("2*x*cos(x^2)", "2x\\cos x^2", True),
               ("6*x + 2*cos(2*x)", "2\\cos(2x)+6x", True), ("6*x + 2*cos(2*x)", "2\\cos(2x)-6x", False),
               ("log(x) + 1", "\\ln x + 1", True), ("log(x) + 1", "\\ln(x+1)", False), ("1/x", "x^{-1}", True),
               ("1/x", "\\frac{1}{x}", True), ("1/x", "-\\frac{1}{x^2}", False), ("x/(x + 1)", "1 - \\frac{1}{x+1}", True),
               ("x/(x + 1)", "\\frac{x+1}{x}", False), ("sin(2*x)", "2\\sin x\\cos x", True), ("sin(2*x)", "2\\sin x", False),
               ("3*x^2", "3x^2", True), ("3*x^2", "3x^{2}", True), ("3*x^2", "(3x)^2", False), ("x^3/3", "\\frac{x^3}{3}", True),
               ("x^3/3", "\\frac{1}{3}x^3", True), ("x^3/3", "x^3", False), ("sqrt(x)", "x^{1/2}", True),
               ("sqrt(x)", "x^{0.5}", True), ("-sin(x)", "-\\sin x", True), ("-sin(x)", "\\sin(-x)", True),
               ("-sin(x)", "\\cos x", False), ("tan(x)", "\\frac{\\sin x}{\\cos x}", True), ("x*exp(x)", "xe^x", True),
               ("x*exp(x)", "e^x", False), ("(x - 1)/(x + 1)", "\\frac{x-1}{x+1}", True),
               ("(x - 1)/(x + 1)", "\\frac{x+1}{x-1}", False), ("2*x + 2", "2(x+1)", True), ("2*x + 2", "2x+1", False)]
    for gold, answer, same in algebra:
        pairs.append(_pair(gold, answer, same, "expressions in x", variables=("x",)))
    integers = [("12", "12", True), ("12", "12.0", True), ("12", "+12", True), ("12", "13", False), ("12", "-12", False),
                ("-7", "-7", True), ("-7", "−7", True), ("-7", "7", False), ("0", "0.0", True), ("1024", "2^{10}", True),
                ("1024", "1023", False), ("100", "1e2", True), ("5", "\\boxed{5}", True),
                ("360931", "360931", True), ("360931", "360913", False)]
    for gold, answer, same in integers:
        pairs.append(_pair(gold, answer, same, "integers"))
    pairs += _task_pairs()
    garbage = ["", "9**9**9**9", "(" * 200, "\\frac{1}", "None", "nan", "\\infty", "x", "1/0", "🙂"]
    for answer in garbage:
        pairs.append(_pair("1", answer, False, "garbage"))
    return pairs


def _task_pairs() -> list[dict]:
    """Golds of the generated tasks against their LaTeX rendering (same) and a near miss (not)."""
    import json as _json

    import sympy

    from synlog.synth.example import make_row
    from synlog.tasks.base import get_task

    out = []
    for task, field, kind in (("derivative", "derivative", "expr"), ("polynomial_roots", "roots", "multiset"),
                              ("inequality_solution", "solution", "intervals")):
        spec = {level: get_task(task).knobs.resolve(level) for level in (2, 4, 6, 8, 10)}
        for level, resolved in spec.items():
            for i in range(2):
                gold = _json.loads(make_row(task, level, resolved, 99, i)["problem"])[field]
                if kind == "intervals":
                    latex = gold.replace("-oo", "-\\infty").replace("oo", "\\infty").replace(" U ", " \\cup ")
                    wrong = gold.translate(str.maketrans("[]()", "()[]")).replace("[-oo", "(-oo").replace("oo]", "oo)")
                    if wrong == gold:
                        wrong = "(-oo, oo)"
                elif kind == "multiset":
                    items = gold.split(", ")
                    latex = ", ".join(sympy.latex(sympy.sympify(r)) for r in reversed(items))
                    wrong = ", ".join(items[:-1]) if len(items) > 1 else f"{items[0]} + 1"
                else:
                    expression = sympy.sympify(gold.replace("^", "**"))
                    latex = sympy.latex(expression)
                    wrong = sympy.latex(expression + sympy.Symbol("x"))
                out.append(_pair(gold, latex, True, f"{task} golds", kind=kind, variables=("x",)))
                out.append(_pair(gold, wrong, False, f"{task} golds", kind=kind, variables=("x",)))
    return out


def _latex_gold(pair: dict) -> str:
    """The gold as LaTeX for math-verify (its parser reads LaTeX; ``pi`` alone is not π there)."""
    import sympy

    gold = pair["gold"]
    if pair["kind"] == "intervals":
        return gold.replace("-oo", "-\\infty").replace("oo", "\\infty").replace(" U ", " \\cup ")
    items = [g.strip() for g in gold.strip("()").split(",")] if pair["kind"] != "expr" else [gold]
    try:
        latex = [sympy.latex(sympy.sympify(g.replace("^", "**"), locals={"E": sympy.E})) for g in items]
    except (sympy.SympifyError, TypeError, SyntaxError):
        return gold
    if pair["kind"] in ("set", "multiset"):
        return "\\{" + ", ".join(latex) + "\\}"
    if pair["kind"] == "tuple":
        return "(" + ", ".join(latex) + ")"
    return latex[0]


def ours(pair: dict) -> bool:
    from synlog.verifiers.math_answer import check

    verdict = check(pair["gold"], pair["answer"], kind=pair["kind"], variables=tuple(pair["variables"]),
                    allow_decimals=pair["allow_decimals"])
    return verdict.correct


def theirs(pair: dict) -> bool | None:
    try:
        from math_verify import parse, verify
    except ImportError:
        return None
    gold = _latex_gold(pair)
    try:
        return bool(verify(parse(f"${gold}$"), parse(f"${pair['answer']}$"), float_rounding=6,
                           numeric_precision=15 if pair["allow_decimals"] else 200))
    except Exception:  # noqa: BLE001 - any failure of the second opinion counts as "not equal"
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rewrite tests/data/math_pairs.jsonl")
    parser.add_argument("--json", help="write per-pair results to this file")
    args = parser.parse_args()
    if args.rebuild:
        CORPUS.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in build_corpus()))
    pairs = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    rows = []
    start = time.monotonic()
    for pair in pairs:
        rows.append({**pair, "ours": ours(pair)})
    ours_s = time.monotonic() - start
    start = time.monotonic()
    for row in rows:
        row["theirs"] = theirs(row)
    theirs_s = time.monotonic() - start
    n = len(rows)
    print(f"{n} pairs ({sum(r['equivalent'] for r in rows)} equivalent)")
    ours_right = sum(r["ours"] == r["equivalent"] for r in rows)
    print(f"synlog checker: {ours_right}/{n} correct ({ours_s:.1f}s)")
    if rows[0]["theirs"] is not None:
        theirs_right = sum(r["theirs"] == r["equivalent"] for r in rows)
        agree = sum(r["theirs"] == r["ours"] for r in rows)
        print(f"math-verify:    {theirs_right}/{n} correct ({theirs_s:.1f}s); agreement {agree}/{n}")
    for who in ("ours", "theirs"):
        errors = [r for r in rows if r[who] is not None and r[who] != r["equivalent"]]
        print(f"\n{who}: {len(errors)} errors by category: {dict(Counter(r['category'] for r in errors))}")
        for r in errors:
            label = "false reject" if r["equivalent"] else "false accept"
            print(f"  {label:12}  gold={r['gold']!r:28} answer={r['answer'][:40]!r}  [{r['category']}]")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
