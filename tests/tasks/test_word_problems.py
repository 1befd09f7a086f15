"""word_problems: the gold is recomputed with sympy from the printed English story, read back
sentence by sentence with this file's own patterns (every sentence must be understood, the
distractors as facts to skip), and verify takes one integer only."""

from __future__ import annotations

import json
import re

import pytest
import sympy

from synlog.tasks.base import Problem
from tests.tasks.task_checks import TaskChecks

CHECKS = TaskChecks("word_problems")
TASK = CHECKS.task
N = r"(\d+)"
NAME = r"([A-Z][a-z]+)"


def _set(x, a):
    return sympy.Integer(a)


#: per question: (sentence pattern, update of the running quantity or None for a fact to skip)
RUNNING = {
    r"How many dollars are in \w+'s piggy bank now\?": [
        (rf"\w+ has {N} dollars in a piggy bank\.", lambda x, a: sympy.Integer(a)),
        (rf"For {N} weeks, \w+ puts {N} dollars into it every week\.", lambda x, w, d: x + sympy.Integer(w) * d),
        (rf"\w+ takes out {N} dollars to buy a book\.", lambda x, a: x - a),
        (rf"An aunt adds money until the bank holds {N} times as much as before\.", lambda x, k: x * k),
        (rf"\w+ spends 1/{N} of the money in the bank on a gift\.", lambda x, k: x - x / k),
        (rf"\w+ finds {N} dollars and puts them in the bank\.", lambda x, a: x + a),
        (rf"\w+'s friend has {N} dollars saved\.", None), (rf"\w+ is {N} years old\.", None),
        (rf"The piggy bank has {N} stars painted on it\.", None)],
    r"How many dollars does \w+ pay in the end\?": [
        (rf"\w+ buys {N} notebooks at {N} dollars each\.", lambda x, n, c: sympy.Integer(n) * c),
        (rf"\w+ also buys {N} pens at {N} dollars each\.", lambda x, n, c: x + sympy.Integer(n) * c),
        (rf"The shop then takes {N}% off everything bought so far\.", lambda x, d: x * (1 - sympy.Rational(d, 100))),
        (rf"\w+ then uses a coupon worth {N} dollars\.", lambda x, c: x - c),
        (rf"A delivery fee of {N} dollars is then added\.", lambda x, f: x + f),
        (rf"The shop has {N} notebooks in stock\.", None), (rf"\w+ walks for {N} minutes to get to the shop\.", None),
        (rf"The shop opened {N} years ago\.", None)],
    r"How many loaves are on the shelves at the end\?": [
        (rf"A bakery has {N} loaves on its shelves in the morning\.", lambda x, a: sympy.Integer(a)),
        (rf"An oven then bakes {N} loaves per hour for {N} hours, and they all go on the shelves\.",
         lambda x, r, h: x + sympy.Integer(r) * h),
        (rf"Customers then buy {N} loaves\.", lambda x, a: x - a),
        (rf"Then {N} boxes of {N} loaves each are sent to a café\.", lambda x, k, b: x - sympy.Integer(k) * b),
        (rf"Then 1/{N} of the loaves on the shelves are given to a shelter\.", lambda x, k: x * (1 - sympy.Rational(1, k))),
        (rf"The bakery has {N} workers\.", None), (rf"The oven is {N} years old\.", None),
        (rf"The bakery opens at {N} o'clock\.", None)],
    r"How many km from the station is the train at the end\?": [
        (rf"A train leaves the station and travels for {N} hours at {N} km per hour\.", lambda x, h, v: sympy.Integer(h) * v),
        (rf"It then travels for {N} hours at {N} km per hour\.", lambda x, h, v: x + sympy.Integer(h) * v),
        (rf"It then travels for {N} minutes at {N} km per hour\.", lambda x, m, v: x + sympy.Rational(m, 60) * v),
        (rf"It then goes back {N} km towards the station\.", lambda x, d: x - d),
        (rf"The train has {N} carriages\.", None), (rf"On the way it waits {N} minutes at a signal\.", None),
        (rf"There are {N} passengers on board\.", None)],
    r"How many marbles does \w+ have now\?": [
        (rf"\w+ has {N} marbles\.", lambda x, a: sympy.Integer(a)),
        (rf"\w+ then gives 1/{N} of the marbles to a friend\.", lambda x, k: x * (k - 1) / k),
        (rf"\w+ then wins {N} more marbles\.", lambda x, a: x + a),
        (rf"\w+ then buys {N} bags with {N} marbles in each\.", lambda x, n, m: x + sympy.Integer(n) * m),
        (rf"\w+ and a sister then share all the marbles in the ratio {N}:{N}, and \w+ keeps only the first share\.",
         lambda x, a, b: x * sympy.Rational(a, a + b)),
        (rf"\w+'s brother is {N} years old\.", None), (rf"The marbles came in a box {N} cm wide\.", None),
        (rf"\w+ has {N} classmates\.", None)],
}

#: the ages chain: each sentence sets one person's age from another's
AGES = [
    (rf"{NAME} is {N} years old\.", lambda ages, who, a: sympy.Integer(a)),
    (rf"{NAME} is {N} years older than {NAME}\.", lambda ages, who, a, other: ages[other] + a),
    (rf"{NAME} is {N} years younger than {NAME}\.", lambda ages, who, a, other: ages[other] - a),
    (rf"{NAME} is {N} times as old as {NAME}\.", lambda ages, who, k, other: ages[other] * k),
    (rf"{NAME}'s age is {NAME}'s age divided by {N}\.", lambda ages, who, other, k: ages[other] / k),
]
AGES_FACTS = [rf"{NAME}'s cat is {N} years old\.", rf"{NAME} has {N} cousins\.", rf"{NAME} lives {N} km from school\."]


def sentences(story: str) -> list[str]:
    return re.split(r"(?<=[.?])\s+", story.strip())


def printed_story(prompt: str) -> tuple[list[str], str]:
    """The story's sentences and its question, as the English prompt prints them."""
    for line in prompt.splitlines():
        if line.rstrip().endswith("?") and (line.startswith("How ") or re.fullmatch(r"How old is \w+\?", line)):
            question = line.strip()
    lines = prompt.splitlines()
    story = lines[lines.index(question) - 2]
    return sentences(story), question


def _arg(text: str):
    return int(text) if text.isdigit() else text


def recompute(prompt: str) -> tuple[sympy.Rational, list[sympy.Rational]]:
    """(answer, every intermediate value) read from the printed story."""
    story, question = printed_story(prompt)
    age_question = re.fullmatch(r"How old is (\w+)\?", question)
    if age_question:
        ages: dict[str, sympy.Rational] = {}
        for sentence in story:
            if any(re.fullmatch(f, sentence) for f in AGES_FACTS):
                continue
            for pattern, update in AGES:
                match = re.fullmatch(pattern, sentence)
                if match:
                    args = [_arg(g) for g in match.groups()]
                    ages[args[0]] = update(ages, *args)
                    break
            else:
                raise AssertionError(f"unread sentence {sentence!r}")
        gold = ages.pop(age_question.group(1))
        return gold, list(ages.values())
    table = next(rules for q, rules in RUNNING.items() if re.fullmatch(q, question))
    x, seen = sympy.Integer(0), []
    for sentence in story:
        for pattern, update in table:
            match = re.fullmatch(pattern, sentence)
            if match:
                if update is not None:
                    seen.append(x)
                    x = update(x, *map(int, match.groups()))
                break
        else:
            raise AssertionError(f"unread sentence {sentence!r}")
    return x, seen[1:]


def test_gold_matches_sympy_on_the_printed_story():
    checked = 0
    for level in range(1, 11):
        for row in CHECKS.rows(level, 8):
            gold, intermediates = recompute(row["prompt"])
            assert gold.is_Integer and str(gold) == row["answer"], row["id"]
            numbers = [int(n) for n in re.findall(r"\d+", " ".join(printed_story(row["prompt"])[0]))]
            assert int(gold) not in numbers and int(gold) != sum(numbers) and int(gold) != 42, row["id"]
            assert gold not in intermediates, row["id"]
            checked += 1
    assert checked >= 50


def test_every_schema_appears():
    questions = {printed_story(row["prompt"])[1].split()[2] for level in (3, 6) for row in CHECKS.rows(level, 30)}
    assert len(questions) >= 5, questions


def test_hostile_answers_score_below_one():
    problem = CHECKS.problem(level=4)
    gold = int(problem["value"])
    hostile = [f"{gold} or {gold + 1}", f"{gold}, {gold + 1}", f"{gold}.0", f"{gold + 3} - 3", f"{2 * gold}/2",
               f"{gold} dollars", "42", str(gold + 1), str(gold - 1), "9" * 5000, f"x = {gold} or so",
               f"{gold}\n{gold + 1}", f"{gold}?", str(-gold)]
    CHECKS.assert_below_one(problem, hostile)


def test_alternative_forms_score_one():
    problem = CHECKS.problem(level=4)
    gold = problem["value"]
    CHECKS.assert_scores_one(problem, [gold, f" {gold} ", f"${gold}$", f"+{gold}", f"\\({gold}\\)"])


test_verify_never_raises = CHECKS.never_raises(level=3)


def test_levels_get_harder():
    for measure in (lambda p: len(p["steps"]), TASK.hardness):
        means = [CHECKS.mean(level, measure) for level in (1, 4, 7, 10)]
        assert means == sorted(means) and means[-1] > 2 * means[0], means
    efforts = [sum(r["effort"] for r in CHECKS.rows(level, 10)) for level in (1, 5, 10)]
    assert efforts == sorted(efforts) and efforts[-1] > 2 * efforts[0]


def test_stories_from_level_2_hold_distractors():
    """Sentences the recount skips as facts are there, as many as the knob asks."""
    for level in (2, 5, 8):
        wanted = TASK.knobs.resolve(level)["distractors"]
        for row in CHECKS.rows(level, 10):
            story, _ = printed_story(row["prompt"])
            assert len(story) == len(json.loads(row["problem"])["steps"]) + wanted, row["id"]


def test_chinese_prompt_tells_the_story_in_chinese():
    row = CHECKS.rows(5, 1)[0]
    data = json.loads(row["problem"])
    text = TASK.prompt(Problem(data, row["answer"]), 0, "zh")
    assert "dollars" not in text and "years" not in text and "<answer>42</answer>" in text
    assert re.search(r"[\u4e00-\u9fff]{4}", text)
    numbers = [n for step in data["steps"] for n in step["args"]]
    for n in numbers:
        assert str(n) in text


@pytest.mark.slow
def test_gold_matches_sympy_on_more_rows():
    for level in (2, 6, 10):
        for row in CHECKS.rows(level, 60, seed=9):
            assert str(recompute(row["prompt"])[0]) == row["answer"], row["id"]
