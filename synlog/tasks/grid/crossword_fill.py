"""Crossword fill (Wordscapes): write listed words into a grid's slots so crossings agree.

The grid has open cells (``_``) and blocked cells (``#``). A *slot* is a maximal run of two
or more open cells across (left to right) or down (top to bottom). Fill every open cell with
a letter so that every slot reads a word from the given list, no word is used twice, and
the given letters stay. A 3×3 example with the words ``act, ape, tan`` and its only
solution (across: ``act``; down: ``ape`` and ``tan``)::

    _ _ _        a c t
    _ # _   →    p # a
    _ # _        e # n

How the puzzle is made, and why it has exactly one solution:

1. words come from the ``english-words`` package (its GCIDE list intersected with its web2
   list, lower-case letters only; shipped with the package, no download at run time), less
   every word on the profanity and slur list of the ``better-profanity`` package and every
   form of one (a listed word plus an ending such as ``-s``, ``-ed``, ``-ish``, or joined to
   another word: see :func:`offensive`); a
   first word goes across, then words are added across or down through a letter already
   placed, where every new letter has no open neighbour beside the slot and the slot has a
   blocked cell or the border at both ends; after each addition the grid's slots must be
   exactly the placed words; the grid is cropped to the placed letters;
2. the list shown is the placed words plus ``distractors`` other words of slot lengths;
3. python-sat encodes the rules (one listed word per slot, each word at most once, one
   letter per open cell, a slot's word spells its cells' letters) plus a clause excluding
   the gold; while another filling exists, a gold letter it gets wrong is given.

``effort`` counts those rounds plus the solver's conflicts, decisions and propagations.
``verify`` reads the slots off the answer grid and checks each against the list (whole
slots, never substrings), no word twice, blocked cells and given letters kept.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import numpy as np
from pysat.formula import IDPool

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.boards import pin_until_unique
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.common.satenc import Clause, at_most_one, exactly_one
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

Cell = tuple[int, int]
Slot = tuple[Cell, ...]
#: shortest and longest word used
MIN_LEN, MAX_LEN = 3, 9
#: placement attempts per wanted word
ATTEMPTS = 60


@register
class CrosswordFill(Task):
    """Fill a grid's across and down slots with listed words so crossings agree (unique)."""

    name, family, version = "crossword_fill", "grid", 2
    knobs = Knobs(
        size=Knob(int, levels=[5, 5, 6, 6, 7, 7, 8, 8, 9, 10], lo=4, hi=15, help="largest grid side"),
        words=Knob(int, levels=[3, 4, 4, 5, 6, 6, 7, 8, 9, 10], lo=2, hi=40,
                   help="words placed, aimed at (at least half of them, else the board is redrawn)"),
        distractors=Knob(int, levels=[0, 0, 1, 1, 2, 2, 3, 3, 4, 5], lo=0, hi=40,
                         help="extra listed words that fit no slot of the solution"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        letters, slots = _build(rng, p.size, p.words)
        top = min(r for r, _ in letters)
        left = min(c for _, c in letters)
        rows = max(r for r, _ in letters) - top + 1
        cols = max(c for _, c in letters) - left + 1
        grid = [["#"] * cols for _ in range(rows)]
        for (r, c), ch in letters.items():
            grid[r - top][c - left] = ch
        slots = [tuple((r - top, c - left) for r, c in slot) for slot in slots]
        placed = ["".join(grid[r][c] for r, c in slot) for slot in slots]
        lengths = sorted({len(w) for w in placed})
        extra: list[str] = []
        while len(extra) < p.distractors:  # words of slot lengths (53 313 words: always enough)
            by_length = _by_length()[lengths[int(rng.integers(len(lengths)))]]
            word = by_length[int(rng.integers(len(by_length)))]
            if word not in placed and word not in extra:
                extra.append(word)
        listed = sorted(placed + extra)
        clauses, word_var, letter_var = _rules(grid, listed)
        blocked = [[int(ch == "#") for ch in row] for row in grid]
        gold = [word_var[k, "".join(grid[r][c] for r, c in slot)] for k, slot in enumerate(slots_of(blocked))]
        gold_letters = [letter_var[(r, c), grid[r][c]] for r in range(rows) for c in range(cols) if grid[r][c] != "#"]
        pins, effort = pin_until_unique(rng, clauses, gold, gold_letters)
        where = {lit: cell for (cell, _), lit in letter_var.items()}
        given = sorted([where[lit][0] + 1, where[lit][1] + 1, grid[where[lit][0]][where[lit][1]]] for lit in pins)
        data = {"rows": rows, "cols": cols, "blocked": blocked,
                "given": given, "words": listed}
        return Problem(data, format_grid(grid), effort)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        board = [["#" if b else "_" for b in row] for row in d["blocked"]]
        for r, c, ch in d["given"]:
            board[r - 1][c - 1] = ch
        return dict(rows=d["rows"], cols=d["cols"], board=format_grid(board),
                    words=", ".join(d["words"]), given=bool(d["given"]))

    def verify(self, problem: dict, answer: str) -> Verdict:
        rows, cols, blocked = problem["rows"], problem["cols"], problem["blocked"]
        try:
            grid = parse_grid(answer, rows=rows, cols=cols, cell=str, markdown=True)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        for r in range(rows):
            for c in range(cols):
                token = grid[r][c]
                if blocked[r][c] != (token == "#"):
                    return Verdict.wrong(f"cell ({r + 1}, {c + 1}) must be {'#' if blocked[r][c] else 'a letter'}")
                if not blocked[r][c] and not (len(token) == 1 and token.isascii() and token.isalpha()):
                    return Verdict.invalid(f"cell ({r + 1}, {c + 1}) must hold one letter a-z")
                grid[r][c] = token.lower()
        for r, c, ch in problem["given"]:
            if grid[r - 1][c - 1] != ch:
                return Verdict.wrong(f"the given letter {ch} at ({r}, {c}) was changed")
        listed = set(problem["words"])
        used = Counter()
        for slot in slots_of(blocked):
            word = "".join(grid[r][c] for r, c in slot)
            (r, c), direction = slot[0], "across" if slot[0][0] == slot[-1][0] else "down"
            if word not in listed:
                return Verdict.wrong(f"the {direction} slot at ({r + 1}, {c + 1}) reads {word!r}, not a listed word")
            used[word] += 1
            if used[word] > 1:
                return Verdict.wrong(f"the word {word!r} is used twice")
        return Verdict.ok()

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer, full_stops=False)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        grid = parse_grid(problem.answer, cell=str)
        open_cells = [(r, c) for r, row in enumerate(grid) for c, ch in enumerate(row) if ch != "#"]
        wrong = []
        for _ in range(2):  # one changed letter (the filling is unique, so it breaks a slot)
            r, c = open_cells[int(rng.integers(len(open_cells)))]
            changed = [row[:] for row in grid]
            changed[r][c] = "q" if grid[r][c] != "q" else "z"
            wrong.append(changed)
        wrong.append([["#" if ch == "#" else "e" for ch in row] for row in grid])
        return [format_grid(g) for g in wrong if g != grid]


#: endings that make another form of a listed word (plurals, tenses, derived words)
ENDINGS = ("s", "es", "ies", "d", "ed", "ing", "er", "ers", "y", "ish", "ly", "ness", "ry",
           "ery", "dom", "hood", "ism", "ist", "ie")


@cache
def blocked_words() -> frozenset[str]:
    """The single words of two packaged lists: ``better-profanity``'s profanity and slur list,
    and ``wordfilter``'s slur list (made for text generators; it adds slurs the first lacks)."""
    import json
    from importlib.resources import files

    text = files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    slurs = json.loads(files("wordfilter").joinpath("badwords.json").read_text(encoding="utf-8"))
    words = (w.strip().lower() for w in [*text.splitlines(), *slurs])
    return frozenset(w for w in words if w.isalpha())


def offensive(word: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether ``word`` is a listed word or a form of one: the listed word plus an ending of
    :data:`ENDINGS` (its last consonant maybe doubled, a final ``y`` turned ``ie``), or the
    listed word joined to a word of ``vocabulary`` (three letters at least) before or after."""
    blocked = blocked_words()
    if word in blocked:
        return True
    for ending in ENDINGS:
        if len(word) > len(ending) + 2 and word.endswith(ending):
            stem = word[: -len(ending)]
            doubled = stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem
            if {stem, doubled, stem + "e", stem + "y"} & blocked:
                return True
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in blocked and tail in vocabulary or tail in blocked and head in vocabulary:
            return True
    return False


@cache
def _words() -> tuple[str, ...]:
    """The word list: GCIDE ∩ web2 from ``english-words``, lower-case a-z, MIN_LEN..MAX_LEN
    letters, without the words :func:`offensive` flags."""
    from english_words import get_english_words_set

    both = get_english_words_set(["gcide"], lower=True, alpha=True) & get_english_words_set(["web2"], lower=True, alpha=True)
    plain = {w for w in both if w.isascii() and w.isalpha()}
    return tuple(sorted(w for w in plain if MIN_LEN <= len(w) <= MAX_LEN and not offensive(w, plain)))


@cache
def _by_length() -> dict[int, tuple[str, ...]]:
    """Length → the words of that length."""
    index: dict[int, list[str]] = {}
    for w in _words():
        index.setdefault(len(w), []).append(w)
    return {length: tuple(ws) for length, ws in index.items()}


@cache
def _by_letter() -> dict[tuple[int, int, str], tuple[str, ...]]:
    """(length, position, letter) → the words with that letter there."""
    index: dict[tuple[int, int, str], list[str]] = {}
    for w in _words():
        for i, ch in enumerate(w):
            index.setdefault((len(w), i, ch), []).append(w)
    return {key: tuple(ws) for key, ws in index.items()}


def slots_of(blocked: list[list[int]]) -> list[Slot]:
    """Every maximal across or down run of two or more open cells, across first."""
    rows, cols = len(blocked), len(blocked[0])
    out = []
    for lines in ([[(r, c) for c in range(cols)] for r in range(rows)],
                  [[(r, c) for r in range(rows)] for c in range(cols)]):
        for line in lines:
            run: list[Cell] = []
            for cell in [*line, None]:
                if cell is not None and not blocked[cell[0]][cell[1]]:
                    run.append(cell)
                    continue
                if len(run) >= 2:
                    out.append(tuple(run))
                run = []
    return out


def _build(rng: np.random.Generator, size: int, wanted: int) -> tuple[dict[Cell, str], list[Slot]]:
    """Place ``wanted`` words on a size×size board; returns letters by cell and the slots."""
    first_choices = _by_length()[int(rng.integers(MIN_LEN, min(MAX_LEN, size) + 1))]
    first = first_choices[int(rng.integers(len(first_choices)))]
    r, c0 = int(rng.integers(size)), int(rng.integers(size - len(first) + 1))
    letters = {(r, c0 + i): ch for i, ch in enumerate(first)}
    slots: list[Slot] = [tuple((r, c0 + i) for i in range(len(first)))]
    for _ in range(ATTEMPTS * wanted):
        if len(slots) >= wanted:
            break
        cross = list(letters)[int(rng.integers(len(letters)))]
        down = bool(rng.integers(2))
        length = int(rng.integers(MIN_LEN, min(MAX_LEN, size) + 1))
        at = int(rng.integers(length))  # the crossing letter's place in the new word
        start = (cross[0] - at, cross[1]) if down else (cross[0], cross[1] - at)
        cells = tuple((start[0] + i, start[1]) if down else (start[0], start[1] + i) for i in range(length))
        if not all(0 <= a < size and 0 <= b < size for a, b in cells) or cells in slots:
            continue
        fixed = [(i, letters[cell]) for i, cell in enumerate(cells) if cell in letters]
        options = min((_by_letter().get((length, i, ch), ()) for i, ch in fixed), key=len)
        word = _pick(rng, options, fixed, _placed(letters, slots))
        if word is None:
            continue
        trial = dict(letters)
        trial.update(zip(cells, word, strict=True))
        new_slots = [*slots, cells]
        if _slots_match(trial, new_slots, size):
            letters, slots = trial, new_slots
    if 2 * len(slots) < wanted or len(slots) < 2:
        raise Reject(f"only {len(slots)} of {wanted} words fit")
    return letters, slots


def _pick(rng: np.random.Generator, options: tuple[str, ...], fixed: list[tuple[int, str]],
          placed: set[str]) -> str | None:
    """A word of ``options`` with the ``fixed`` letters that is not yet placed: the first one
    found scanning cyclically from a random start (cheap, and uniform enough for puzzles)."""
    if not options:
        return None
    start = int(rng.integers(len(options)))
    for k in range(len(options)):
        word = options[(start + k) % len(options)]
        if word not in placed and all(word[i] == ch for i, ch in fixed):
            return word
    return None


def _placed(letters: dict[Cell, str], slots: list[Slot]) -> set[str]:
    return {"".join(letters[cell] for cell in slot) for slot in slots}


def _slots_match(letters: dict[Cell, str], slots: list[Slot], size: int) -> bool:
    """Whether the board's slots are exactly ``slots`` and their words all different."""
    blocked = [[int((r, c) not in letters) for c in range(size)] for r in range(size)]
    found = slots_of(blocked)
    return sorted(found) == sorted(slots) and len(_placed(letters, slots)) == len(slots)


def _rules(grid: list[list[str]], listed: list[str]) -> tuple[list[Clause], dict, dict]:
    """One listed word per slot, each word at most once, one letter per open cell, a slot's
    word spells its letters; ``word_var[slot index, word]`` and ``letter_var[cell, letter]``."""
    pool = IDPool()
    blocked = [[int(ch == "#") for ch in row] for row in grid]
    slots = slots_of(blocked)
    alphabet = sorted({ch for w in listed for ch in w})
    letter_var = {((r, c), ch): pool.id(("letter", r, c, ch)) for r, row in enumerate(grid)
                  for c, b in enumerate(row) if b != "#" for ch in alphabet}
    clauses: list[Clause] = []
    for r, row in enumerate(grid):
        for c, b in enumerate(row):
            if b != "#":
                clauses += exactly_one([letter_var[(r, c), ch] for ch in alphabet], pool)
    word_var = {}
    for k, slot in enumerate(slots):
        fits = [w for w in listed if len(w) == len(slot)]
        for w in fits:
            word_var[k, w] = lit = pool.id(("word", k, w))
            clauses += [[-lit, letter_var[cell, ch]] for cell, ch in zip(slot, w, strict=True)]
        clauses += exactly_one([word_var[k, w] for w in fits], pool)
    for w in listed:
        clauses += at_most_one([lit for (k, word), lit in word_var.items() if word == w], pool)
    return clauses, word_var, letter_var
