"""Specification of the crossword_fill task beyond the shared contract.

Gold answers are re-solved by a plain backtracking counter that shares nothing with the
generator (no SAT): slots found by scanning runs, one listed word per slot in order, letters
checked against the cells already written.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.grid.crossword_fill import _rules, _words, blocked_words, offensive
from synlog.verifiers.verdict import Reason
from tests.tasks.grid_checks import GridPuzzle, assert_one_model, token_gold


def runs(blocked) -> list[list[tuple[int, int]]]:
    rows, cols = len(blocked), len(blocked[0])
    found = []
    for r in range(rows):
        c = 0
        while c < cols:
            start = c
            while c < cols and not blocked[r][c]:
                c += 1
            if c - start >= 2:
                found.append([(r, x) for x in range(start, c)])
            c += 1
    for c in range(cols):
        r = 0
        while r < rows:
            start = r
            while r < rows and not blocked[r][c]:
                r += 1
            if r - start >= 2:
                found.append([(x, c) for x in range(start, r)])
            r += 1
    return found


def solve_all(problem: dict, limit: int = 2) -> list[list[list[str]]]:
    blocked = problem["blocked"]
    grid = [["#" if b else "" for b in row] for row in blocked]
    for r, c, ch in problem["given"]:
        grid[r - 1][c - 1] = ch
    slots = runs(blocked)
    used: set[str] = set()
    found: list[list[list[str]]] = []

    def search(i: int) -> None:
        if len(found) >= limit:
            return
        if i == len(slots):
            found.append([row[:] for row in grid])
            return
        slot = slots[i]
        for word in problem["words"]:
            if word in used or len(word) != len(slot):
                continue
            if any(grid[r][c] and grid[r][c] != ch for (r, c), ch in zip(slot, word, strict=True)):
                continue
            before = [grid[r][c] for r, c in slot]
            for (r, c), ch in zip(slot, word, strict=True):
                grid[r][c] = ch
            used.add(word)
            search(i + 1)
            used.discard(word)
            for (r, c), ch in zip(slot, before, strict=True):
                grid[r][c] = ch

    search(0)
    return found


PUZZLE = GridPuzzle("crossword_fill", solve=solve_all, gold=token_gold)


def test_sixty_puzzles_have_one_solution_and_it_is_the_gold():
    PUZZLE.assert_golds_are_the_only_solutions(levels=(1, 2, 4, 6, 8, 10), per_level=10)


@pytest.mark.parametrize("level", [8, 10])
def test_sat_model_count_is_one_on_the_big_levels(level):
    for p, grid in PUZZLE.problems(level, 3, seed=5):
        clauses, word_var, letter_var = _rules(grid, p["words"])
        givens = [letter_var[(r - 1, c - 1), ch] for r, c, ch in p["given"]]
        assert_one_model(clauses, projection=sorted(word_var.values()), assumptions=givens)


def test_every_listed_word_comes_from_the_package_word_list():
    words = set(_words())
    assert len(words) > 20_000
    for p, _ in PUZZLE.problems(9, 5):
        assert set(p["words"]) <= words


@pytest.mark.slow
@pytest.mark.parametrize("level", range(1, 11))
def test_thirty_puzzles_per_level_are_unique(level):
    PUZZLE.assert_golds_are_the_only_solutions(levels=[level], per_level=30, seed=2027, at_least=30)


EXAMPLE = {"rows": 3, "cols": 3, "blocked": [[0, 0, 0], [0, 1, 0], [0, 1, 0]], "given": [],
           "words": ["act", "ape", "tan"]}


def test_the_docstring_example_has_one_solution():
    PUZZLE.assert_example(EXAMPLE, [["a", "c", "t"], ["p", "#", "a"], ["e", "#", "n"]], "a c t\np # a\ne # n",
                          "A C T\nP # A\nE # N", '[["a","c","t"],["p","#","a"],["e","#","n"]]')


def test_slots_are_read_whole_not_as_substrings():
    problem = {"rows": 1, "cols": 4, "blocked": [[0, 0, 0, 0]], "given": [], "words": ["act", "cat"]}
    PUZZLE.assert_scores_zero(problem, "a c t s", Reason.WRONG, "'acts'")


@pytest.mark.parametrize("answer, reason, why", [
    ("a c t\np # a\ne # x", Reason.WRONG, "not a listed word"),
    ("a c t\np a a\ne # n", Reason.WRONG, "must be #"),
    ("a c t\np # a\ne # #", Reason.WRONG, "must be a letter"),
    ("a c t\np # a\ne # 7", Reason.INVALID, "one letter"),
    ("a c t\np # a\ne # né", Reason.INVALID, "one letter"),
    ("a c t", Reason.UNPARSEABLE, "expected 3 rows"),
])
def test_rule_breaking_answers_score_zero(answer, reason, why):
    PUZZLE.assert_scores_zero(EXAMPLE, answer, reason, why)


def test_a_word_used_twice_scores_zero():
    problem = {"rows": 3, "cols": 3, "blocked": [[0, 0, 0], [0, 1, 1], [0, 1, 1]], "given": [], "words": ["aba"]}
    PUZZLE.assert_scores_zero(problem, "a b a\nb # #\na # #", Reason.WRONG, "twice")


def test_perturbations_are_wrong():
    PUZZLE.assert_perturbations_are_wrong()


@cache
def raw_vocabulary() -> frozenset[str]:
    """The package word list before the profanity filter (what the filter starts from)."""
    from english_words import get_english_words_set

    both = get_english_words_set(["gcide"], lower=True, alpha=True) & get_english_words_set(["web2"], lower=True, alpha=True)
    return frozenset(w for w in both if w.isascii() and w.isalpha())


def test_a_known_listed_word_and_its_forms_are_excluded():
    words = set(_words())
    assert "bastard" in blocked_words() and "bastard" in raw_vocabulary()
    assert "bastard" not in words and "bastardy" not in words and "bastards" not in words
    assert offensive("bastards") and offensive("bastardly")
    # compounds with another word, and inflected forms with a doubled consonant
    assert offensive("bastardhood") and offensive("bastardness")
    listed = blocked_words() & raw_vocabulary()
    assert len(listed) > 50 and not listed & words
    plurals = {w + "s" for w in listed} & raw_vocabulary()
    assert plurals and not plurals & words
    assert not offensive("crossword") and not offensive("tan") and "act" in words


def test_the_filter_is_the_packages_list_not_a_hand_list():
    import json
    from importlib.resources import files

    text = files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    slurs = json.loads(files("wordfilter").joinpath("badwords.json").read_text(encoding="utf-8"))
    expected = {w.strip().lower() for w in [*text.splitlines(), *slurs] if w.strip().isalpha()}
    assert blocked_words() == expected and "coolie" in expected  # a slur only wordfilter lists
    assert len(blocked_words()) > 500


@pytest.mark.parametrize("per_level, words_seen", [
    (40, 1_000),
    pytest.param(200, 5_000, marks=pytest.mark.slow),
])
def test_generated_prompts_name_no_listed_word(per_level, words_seen):
    """No prompt across the levels (400 in the default run, 2,000 in the slow one), words list
    and given letters included, holds a word of the profanity list or a form of one."""
    task, vocabulary = get_task("crossword_fill"), raw_vocabulary()
    seen: set[str] = set()
    listed: set[str] = set()
    for level in range(1, 11):
        spec = task.knobs.resolve(level, {"distractors": 12})
        for index in range(per_level):
            lang = ("en", "zh")[index % 2]  # the language never changes the problem
            prompt = make_row("crossword_fill", level, {**spec, "lang": lang}, 4242, index)["prompt"]
            seen.update(re.findall(r"[a-z]+", prompt.lower()))
            listed.update(re.search(r"^(?:Words: |单词表：)(.*)$", prompt, re.M).group(1).split(", "))
    assert not sorted(seen & blocked_words())
    flagged = sorted(w for w in listed if offensive(w, vocabulary))
    assert not flagged, flagged[:5]
    assert len(listed) > words_seen
