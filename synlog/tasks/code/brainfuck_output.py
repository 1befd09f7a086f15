"""Brainfuck output: say exactly what a generated Brainfuck program prints on a given input.

The prompt shows a Brainfuck program (8-bit wrapping cells, ``,`` reads 0 at the end of the
input) and its input; the answer is the text the program prints. A tiny example::

    program: ,+.>++++++++[<+>-]<.     input: a
    prints:  bj        (a + 1 = b; then the loop adds 8 to it: j)

Programs are built block by block, each block chosen from the state the program has reached so
far (read an input character and print it shifted; nudge a cell already holding a letter or
digit and print it; at higher levels multiplication loops that build a character code, loops
that print a cell several times (sometimes incrementing it), a loop over a zero cell that never
runs, a digit read from the input used as a loop count, nested multiplication loops, and a
final loop that copies the rest of the input shifted). The gold is what our own step
interpreter (:func:`execute`, bounded by :data:`MAX_STEPS` steps and :data:`TAPE` cells) prints
when it runs the generated program at generation time; the model's answer is never run. A
program is kept only when it prints at least three characters, all letters or digits, at least
one a letter, and not just its input echoed. The output is unique.

Answer: the printed characters in order, nothing between them. Markdown wrappers (bold, a code
span, a fence, one final full stop) are stripped; spaces, quotes, character codes, or anything
but letters and digits is unparseable; a different string is wrong (case matters).
"""

from __future__ import annotations

import re
import string

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.answers import scalar_forms, unwrap
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: the interpreter stops (and the generator refuses the program) after this many steps
MAX_STEPS = 20_000
#: cells on the tape
TAPE = 64
#: characters a generated program may print
ALNUM = string.ascii_letters + string.digits
_ALNUM_CODES = frozenset(map(ord, ALNUM))
#: the longest answer read at all
MAX_ANSWER = 600
_ANSWER = re.compile(rf"[A-Za-z0-9]{{1,{MAX_ANSWER}}}")
#: printed texts a blind guess would hit
GUESSABLE = frozenset({"yes", "no", "True", "False", "None", "none", "null", "true", "false", "all"})
#: characters of the program per displayed line
LINE = 60


class BFError(RuntimeError):
    """A program left the tape, had unmatched brackets or ran past the step bound."""


def brackets(code: str) -> dict[int, int]:
    """Matching bracket positions both ways."""
    stack, match = [], {}
    for i, ch in enumerate(code):
        if ch == "[":
            stack.append(i)
        elif ch == "]":
            if not stack:
                raise BFError("unmatched ]")
            j = stack.pop()
            match[i], match[j] = j, i
    if stack:
        raise BFError("unmatched [")
    return match


def execute(code: str, data: str, max_steps: int = MAX_STEPS) -> tuple[str, int, list[int], int, int]:
    """Run ``code`` on input ``data``: (output, steps, tape, pointer, input characters read)."""
    code = "".join(ch for ch in code if ch in "+-<>[].,")
    match = brackets(code)
    tape, ptr, pc, steps, read, out = [0] * TAPE, 0, 0, 0, 0, []
    while pc < len(code):
        steps += 1
        if steps > max_steps:
            raise BFError("step bound reached")
        ch = code[pc]
        if ch == "+":
            tape[ptr] = (tape[ptr] + 1) % 256
        elif ch == "-":
            tape[ptr] = (tape[ptr] - 1) % 256
        elif ch == ">":
            ptr += 1
            if ptr >= TAPE:
                raise BFError("pointer past the tape")
        elif ch == "<":
            ptr -= 1
            if ptr < 0:
                raise BFError("pointer left of cell 0")
        elif ch == ".":
            out.append(chr(tape[ptr]))
        elif ch == ",":
            tape[ptr] = ord(data[read]) if read < len(data) else 0
            read = min(read + 1, len(data))
        elif ch == "[":
            if tape[ptr] == 0:
                pc = match[pc]
        elif ch == "]":
            if tape[ptr] != 0:
                pc = match[pc]
        pc += 1
    return "".join(out), steps, tape, ptr, read


def move(src: int, dst: int) -> str:
    return ">" * (dst - src) if dst >= src else "<" * (src - dst)


def adjust(delta: int) -> str:
    return "+" * delta if delta >= 0 else "-" * (-delta)


class Builder:
    """A program grown block by block; every block sees the state the program has reached."""

    def __init__(self, rng: np.random.Generator, loops: int) -> None:
        self.rng, self.loops = rng, loops
        self.code, self.data = "", ""
        self.ptr, self.fresh = 0, 0
        self.tape = [0] * TAPE

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]

    def char(self) -> str:
        return self.pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    def live(self) -> list[int]:
        return [i for i in range(self.fresh) if self.tape[i] in _ALNUM_CODES]

    def take(self, count: int) -> int:
        start = self.fresh
        self.fresh += count
        if self.fresh > TAPE - 2:
            raise Reject("tape full")
        return start

    def shifted(self, delta_range: int) -> tuple[str, int]:
        for _ in range(30):
            c, d = self.char(), int(self.rng.integers(-delta_range, delta_range + 1))
            if ord(c) + d in _ALNUM_CODES:
                return c, d
        raise Reject("no shifted character")

    # ---- blocks: each returns (code, input characters it needs)

    def read(self) -> tuple[str, str]:
        cell = self.take(1)
        c, d = self.shifted(3)
        return move(self.ptr, cell) + "," + adjust(d) + ".", c

    def nudge(self) -> tuple[str, str]:
        cells = self.live()
        if not cells:
            return self.read()
        cell = self.pick(cells)
        d = self.pick([-4, -3, -2, -1, 1, 2, 3, 4])
        return move(self.ptr, cell) + adjust(d) + ".", ""

    def multiply(self) -> tuple[str, str]:
        targets = 1 if self.loops < 2 or self.rng.random() < 0.5 else 2
        counter = self.take(1 + targets)
        a = int(self.rng.integers(4, 11))
        chars = [ord(self.char()) for _ in range(targets)]
        factors = [t // a for t in chars]
        body = "".join(">" + adjust(b) for b in factors) + "<" * targets + "-"
        code = move(self.ptr, counter) + "+" * a + "[" + body + "]"
        pos = counter
        for k, (t, b) in enumerate(zip(chars, factors, strict=True)):
            code += move(pos, counter + 1 + k) + adjust(t - a * b) + "."
            pos = counter + 1 + k
        return code, ""

    def repeat(self) -> tuple[str, str]:
        cells = self.live()
        if not cells:
            return self.multiply()
        cell, counter = self.pick(cells), self.take(1)
        n = int(self.rng.integers(2, 6))
        step = "+" if self.loops >= 3 and self.rng.random() < 0.5 else ""
        code = move(self.ptr, counter) + "+" * n + "[" + move(counter, cell) + "." + step + move(cell, counter) + "-]"
        return code, ""

    def skipped(self) -> tuple[str, str]:
        cell = self.take(1)
        junk = "".join(self.pick("+-.>") for _ in range(int(self.rng.integers(3, 7))))
        return move(self.ptr, cell) + "[" + junk + "]", ""

    def digit_loop(self) -> tuple[str, str]:
        cells = self.live()
        if not cells:
            return self.multiply()
        cell, counter = self.pick(cells), self.take(2)
        digit = self.pick("2345")
        step = self.pick(["+", "-", ""])
        code = (move(self.ptr, counter) + ",>++++++[<-------->-]<" + "[" + move(counter, cell) + "." + step
                + move(cell, counter) + "-]")
        return code, digit

    def nested(self) -> tuple[str, str]:
        first = self.take(3)
        t = ord(self.char())
        a, b = int(self.rng.integers(2, 4)), int(self.rng.integers(2, 5))
        c = t // (a * b)
        code = (move(self.ptr, first) + "+" * a + "[>" + "+" * b + "[>" + "+" * c + "<-]<-]>>"
                + adjust(t - a * b * c) + ".")
        return code, ""

    def copy_rest(self) -> tuple[str, str]:
        cell = self.take(1)
        d = int(self.rng.integers(-2, 3))
        rest = ""
        while len(rest) < int(self.rng.integers(2, 5)):
            c = self.char()
            if ord(c) + d in _ALNUM_CODES:
                rest += c
        return move(self.ptr, cell) + ",[" + adjust(d) + ".,]", rest

    def add(self, kind: str) -> bool:
        """Append one block of ``kind`` if the program still prints only letters and digits."""
        for _ in range(8):
            saved = self.fresh
            try:
                code, needed = getattr(self, kind)()
            except Reject:
                self.fresh = saved
                continue
            try:
                out, _, tape, ptr, _ = execute(self.code + code, self.data + needed)
            except BFError:
                self.fresh = saved
                continue
            if all(ord(ch) in _ALNUM_CODES for ch in out):
                self.code, self.data = self.code + code, self.data + needed
                self.tape, self.ptr = tape, ptr
                return True
            self.fresh = saved
        return False


BLOCKS = {0: ["read", "nudge"], 1: ["read", "nudge", "multiply"], 2: ["read", "nudge", "multiply", "repeat"],
          3: ["read", "nudge", "multiply", "repeat", "skipped"],
          4: ["read", "nudge", "multiply", "repeat", "skipped", "digit_loop", "nested"]}


def layout(code: str) -> str:
    return "\n".join(code[i:i + LINE] for i in range(0, len(code), LINE))


@register
class BrainfuckOutput(Task):
    """Say exactly what a generated Brainfuck program prints on a given input."""

    name, family, version = "brainfuck_output", "code", 1
    knobs = Knobs(
        blocks=Knob(int, levels=[3, 4, 4, 5, 5, 6, 7, 8, 9, 10], lo=1, hi=20, help="program blocks"),
        loops=Knob(int, levels=[0, 0, 1, 1, 2, 2, 3, 3, 4, 4], lo=0, hi=4,
                   help="loop kinds allowed: 0 none, 1 multiplication, 2 + repeat, 3 + skipped loops"
                        " and input copy, 4 + digit counts and nested loops"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        builder = Builder(rng, p.loops)
        kinds = BLOCKS[p.loops]
        for k in range(p.blocks):
            if p.loops >= 3 and k == p.blocks - 1 and rng.random() < 0.5:
                kind = "copy_rest"
            elif p.loops and k < 2 and rng.random() < 0.6:
                kind = ["multiply", "nested"][int(rng.integers(2))] if p.loops >= 4 else "multiply"
            else:
                kind = kinds[int(rng.integers(len(kinds)))]
            if not builder.add(kind):
                raise Reject(f"no {kind} block fits")
        output, steps, _, _, _ = execute(builder.code, builder.data)
        if (len(output) < 3 or not any(ch.isalpha() for ch in output) or output in GUESSABLE
                or output == builder.data or output == builder.data[::-1]):
            raise Reject("the output is too easy to guess")
        if p.loops and "[" not in builder.code:
            raise Reject("no loop at a loop level")
        data = {"program": builder.code, "input": builder.data, "output": output, "steps": steps,
                "max_steps": MAX_STEPS}
        return Problem(data, output, float(steps))

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        return {**d, "program_text": layout(d["program"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER + 50:
            return Verdict.unparseable(f"expected at most {MAX_ANSWER} letters and digits")
        text = unwrap(answer.strip())
        if not _ANSWER.fullmatch(text):
            return Verdict.unparseable("expected the printed characters only: letters and digits, nothing between")
        if text != problem["output"]:
            return Verdict.wrong(f"the program does not print {text[:60]}")
        return Verdict.ok()

    def hardness(self, problem: dict) -> float:
        """Commands in the program, loop bodies weighted by their nesting depth."""
        depth, total = 0, 0
        for ch in problem["program"]:
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            total += 1 + depth
        return float(total)

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        data = problem["input"]
        out = {"the input echoed": data, "the input reversed": data[::-1]}
        return {k: v for k, v in out.items() if v}

    def alternative_forms(self, problem: Problem) -> list[str]:
        return scalar_forms(problem.answer)

    def forbidden_forms(self, problem: Problem) -> list[str]:
        gold = problem.answer
        return [" ".join(gold), f'"{gold}"', " ".join(str(ord(ch)) for ch in gold), "\n".join(gold),
                f"Output: {gold}"]

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = problem.answer
        i = int(rng.integers(len(gold)))
        bumped = chr(ord(gold[i]) + 1) if gold[i] not in "z9Z" else chr(ord(gold[i]) - 1)
        out = [gold[:i] + bumped + gold[i + 1:], gold[:-1], gold + gold[-1], gold.swapcase(),
               f"{gold} or {gold[:-1]}"]
        if gold[::-1] != gold:
            out.append(gold[::-1])
        return [w for w in out if w != gold]
