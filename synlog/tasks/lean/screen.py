"""The static screen of ``lean_proof`` answers: what a proof may contain before Lean sees it.

The proof is read the way Lean's tokenizer reads it (``--`` comments, string and character
literals, «escaped» identifiers), so a word inside a comment or a string is not a keyword, and
nothing that Lean reads as code can hide here inside a comment or a string. Where Lean's reading
would depend on what this reader cannot know (Lean's token table, its version), the proof is
refused rather than guessed at::

    >>> screen("theorem synlog_goal : 2 + 2 = 4", "by -- the end\\n  decide")
    'by -- the end\\n  decide'
    >>> screen("theorem synlog_goal : 2 + 2 = 4", "by stop decide").details["why"]
    'sorry / admit / stop leave the goal unproved'

A refused answer is ``invalid`` (``unparseable`` or ``no_answer`` when it is malformed or empty);
:mod:`synlog.tasks.lean.checker` runs Lean only on what passes. docs/lean.md lists every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synlog.verifiers.verdict import Verdict

MAX_PROOF_CHARS = 8_000
WHITESPACE = " \t\r\n"  # Lean's Char.isWhitespace (a tab is an error in Lean, but ends a token all the same)
_OPENERS = "([{⟨,"  # one-character tokens after which ' surely starts a character literal
_HEX = frozenset("0123456789abcdefABCDEF")
_FULL_THEOREM = re.compile(r"\s*(theorem|lemma)\s")
_SUGGESTION = re.compile(r"\?!?$")

_COMMAND = "the answer may contain only a proof, not new declarations or commands"
_SYNTAX = "macro / elab / syntax / notation definitions and meta-programs are not allowed"
_NATIVE = "native evaluation (native_decide, decide +native, ofReduceBool...) is not allowed"
_WORDS = {word: why for why, words in [
    ("sorry / admit / stop leave the goal unproved", "sorry admit sorryAx stop"),
    (_NATIVE, "native_decide native ofReduceBool ofReduceNat reduceBool reduceNat trustCompiler "
              "bv_decide bv_check"),
    ("attributes such as @[implemented_by] / @[extern] are not allowed", "implemented_by extern csimp"),
    ("set_option escape hatches are not allowed", "set_option"),
    (_COMMAND, "axiom axioms theorem lemma def example instance abbrev opaque constant structure inductive "
               "class namespace section end import prelude universe variable mutual deriving attribute "
               "noncomputable private protected partial nonrec export omit include local alias "
               "irreducible_def unif_hint seal unseal recall proof_wanted library_note suppress_compilation "
               "unsuppress_compilation grind_pattern add_aesop_rules erase_aesop_rules add_decl_doc init_quot"),
    (_SYNTAX, "infix infixl infixr prefix postfix by_elab binder_predicate dbg_trace dbgTrace panic! Elab Meta"),
] for word in words.split()}
_PREFIXES = [(_COMMAND, ("declare_", "register_", "builtin_", "initialize", "assert_not_", "compile_")),
             (_SYNTAX, ("notation", "syntax", "macro", "elab", "simproc", "dsimproc", "run_"))]


class Unreadable(ValueError):
    """Raised by :func:`lex`: Lean's reading of the proof is not certain (``why`` says where)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Lexeme:
    """One token as Lean's tokenizer sees it; comments are dropped. ``parts``: an identifier's
    dot-separated components (``«a b»`` unescaped)."""

    kind: str  # "ident" | "number" | "string" | "char" | "symbol"
    text: str
    start: int
    parts: tuple[str, ...] = ()


def _letter_like(c: str) -> bool:  # Lean's isLetterLike
    v = ord(c)
    return ((0x3B1 <= v <= 0x3C9 and v != 0x3BB) or (0x391 <= v <= 0x3A9 and v not in (0x3A0, 0x3A3))
            or 0x3CA <= v <= 0x3FB or 0x1F00 <= v <= 0x1FFE or 0x2100 <= v <= 0x214F or 0x1D49C <= v <= 0x1D59F)


def _id_first(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z") or c == "_" or _letter_like(c)


def _id_rest(c: str) -> bool:
    v = ord(c)
    return (_id_first(c) or "0" <= c <= "9" or c in "'!?"
            or 0x2080 <= v <= 0x2089 or 0x2090 <= v <= 0x209C or 0x1D62 <= v <= 0x1D6A)


def _version_dependent(c: str) -> bool:
    """Letters that start or continue identifiers in some Lean versions only (Latin-1, Latin
    Extended-A, ⱼ, ⁿ): Lean's reading of a ' or a -- after one would depend on the version."""
    v = ord(c)
    return (0xC0 <= v <= 0x17F and v not in (0xD7, 0xF7)) or v in (0x2C7C, 0x207F)


def _digits(body: str, i: int) -> int:
    while i < len(body) and "0" <= body[i] <= "9":
        i += 1
    return i


def _escape(body: str, j: int) -> int:
    """The index after the escape sequence whose backslash is at ``j - 1`` (Lean's quotedCharFn)."""
    c = body[j] if j < len(body) else ""
    if c and c in "\\\"'nrt":
        return j + 1
    width = {"x": 2, "u": 4}.get(c, 0)
    if width and all(h in _HEX for h in body[j + 1:j + 1 + width]) and len(body) > j + width:
        return j + 1 + width
    # anything else is an error inside the literal, from where Lean would read on differently
    raise Unreadable("unsupported escape sequence (use \\\\ \\\" \\' \\n \\t \\r \\xHH or \\uHHHH)")


def _string(body: str, i: int, out: list[Lexeme]) -> int:
    if i and body[i - 1] in "r#":
        raise Unreadable('raw string literals (r"...", r#"..."#) are not allowed')
    j = i + 1
    while j < len(body):
        c = body[j]
        if c == '"':
            out.append(Lexeme("string", body[i:j + 1], i))
            return j + 1
        if c == "{":  # an interpolated string (s!"…", dbg_trace "…") would read a term from here
            raise Unreadable("'{' inside a string literal is not allowed")
        j = _escape(body, j + 1) if c == "\\" else j + 1
    raise Unreadable('unclosed string literal: a " without its closing " would swallow the trusted check')


def _char(body: str, i: int, out: list[Lexeme]) -> int:
    before = body[i - 1] if i else " "
    if before not in WHITESPACE + _OPENERS or body.startswith("''", i):
        # after a number or a symbol, ' may belong to a token (∑' in Mathlib) or start a literal
        raise Unreadable("a character literal ('a') must follow a space or an opening bracket")
    j = i + 1
    if j < len(body):
        j = _escape(body, j + 1) if body[j] == "\\" else j + 1
    if j >= len(body) or body[j] != "'":
        raise Unreadable("unclosed character literal")
    out.append(Lexeme("char", body[i:j + 1], i))
    return j + 1


def _number(body: str, i: int, out: list[Lexeme]) -> int:
    base = body[i + 1:i + 2].lower() if body[i] == "0" else ""
    if base in ("x", "b", "o"):
        digits = {"x": _HEX, "b": frozenset("01"), "o": frozenset("01234567")}[base]
        j = i + 2
        while j < len(body) and body[j] in digits:
            j += 1
        if j == i + 2:  # Lean stops with an error right after 0x, and reads on from there
            raise Unreadable("malformed number literal")
    else:
        j = _digits(body, i)
        if body[j:j + 1] == ".":
            j = _digits(body, j + 1)  # 2. and 2.5 are one literal
        if body[j:j + 1] in ("e", "E"):
            exponent = j + 2 if body[j + 1:j + 2] in ("+", "-") else j + 1
            if exponent < len(body) and "0" <= body[exponent] <= "9":
                j = _digits(body, exponent)  # 1e5x is 1e5 then x
    out.append(Lexeme("number", body[i:j], i))
    return j


def _ident(body: str, i: int, out: list[Lexeme]) -> int:
    parts, j = [], i
    while True:
        if body[j] == "«":
            close = body.find("»", j + 1)
            if close < 0:
                raise Unreadable("unbalanced « (an escaped identifier is «name»)")
            part = body[j + 1:close]
            if "\n" in part or "«" in part:
                raise Unreadable("an escaped identifier «name» must fit on one line")
            parts.append(part)
            j = close + 1
        else:
            k = j + 1
            while k < len(body) and _id_rest(body[k]):
                k += 1
            parts.append(body[j:k])
            j = k
        if j + 1 < len(body) and body[j] == "." and (_id_first(body[j + 1]) or body[j + 1] == "«"):
            j += 1
            continue
        out.append(Lexeme("ident", body[i:j], i, tuple(parts)))
        return j


def lex(body: str) -> list[Lexeme]:
    """The proof's tokens as Lean reads them, comments dropped; raises :class:`Unreadable` where
    Lean's reading is not certain (a ``--`` glued to a token, an unclosed literal, a block comment...)."""
    out: list[Lexeme] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c in WHITESPACE:
            i += 1
        elif body.startswith("--", i):
            if i and body[i - 1] not in WHITESPACE:  # `<--`, `1e--`: Lean may not read a comment here
                raise Unreadable("a -- comment must follow a space or a line break")
            newline = body.find("\n", i)
            i = len(body) if newline < 0 else newline
        elif body.startswith("/-", i):
            raise Unreadable("block comments are not allowed (use -- line comments)")
        elif c == '"':
            i = _string(body, i, out)
        elif c == "'":
            i = _char(body, i, out)
        elif "0" <= c <= "9":
            i = _number(body, i, out)
        elif _id_first(c) or c == "«":
            i = _ident(body, i, out)
        elif c == "»":
            raise Unreadable("unbalanced » (an escaped identifier is «name»)")
        elif _version_dependent(c):
            raise Unreadable(f"{c!r} outside a comment or a string reads differently in different Lean versions")
        else:
            out.append(Lexeme("symbol", c, i))
            i += 1
    return out


def _open_in(lexemes: list[Lexeme], n: int) -> str | None:
    """``open Foo in …`` scopes the namespace to what follows; a plain ``open`` is a command."""
    for m in range(n + 1, len(lexemes)):
        lexeme = lexemes[m]
        if lexeme.kind == "ident" and lexeme.parts == ("in",):
            if m + 1 < len(lexemes):
                return None
            return "`open Foo in` must be followed by the tactic or term it scopes"
        if lexeme.kind != "ident" and lexeme.text not in "()→->":
            break
    return "`open` is allowed only in its scoped form `open Foo in ...`"


def _word(part: str) -> str | None:
    if part in _WORDS:
        return _WORDS[part]
    for why, prefixes in _PREFIXES:
        if part.startswith(prefixes):
            return why
    if "unsafe" in part.lower():
        return _SYNTAX
    if part.startswith("Synlog"):  # the checker's namespaces: another proof's theorem is not a lemma
        return "the proof may not name the checker's own declarations"
    return None


def refusal(lexemes: list[Lexeme]) -> str | None:
    """Why the proof is refused, judging its tokens; None if it passes."""
    for n, lexeme in enumerate(lexemes):
        after = lexemes[n + 1] if n + 1 < len(lexemes) else None
        glued = after is not None and after.start == lexeme.start + len(lexeme.text)
        before = lexemes[n - 1] if n else None
        if lexeme.kind == "symbol":
            if lexeme.text == "@" and glued and after.text == "[":
                return "attributes such as @[implemented_by] / @[extern] are not allowed"
            if lexeme.text == "#" and after is not None and after.kind == "ident":
                return "commands such as #eval / #print are not allowed"
            continue
        if lexeme.kind != "ident":
            continue
        if lexeme.parts == ("open",):
            why = _open_in(lexemes, n)
            if why:
                return why
        for part in lexeme.parts:
            why = _word(part)
            if why:
                return why
        dotted = before is not None and before.text == "." and before.start + 1 == lexeme.start
        if len(lexeme.parts) == 1 and not dotted and _SUGGESTION.search(lexeme.parts[0]):
            return "suggestion tactics (exact?, apply?, rw?, simp?...) are not allowed"
        if glued and after.text == "%" and "_" in lexeme.text:
            return "term elaborators such as decl_name% are not allowed"
    return None


def proof_body(statement: str, answer: str) -> str | Verdict:
    """The proof after ``:=``: the answer itself, or taken from a whole theorem whose header
    must be byte-identical to ``statement``. A Verdict says why the answer is refused."""
    text = answer.strip()
    if not text:
        return Verdict.no_answer("empty proof")
    if len(text) > MAX_PROOF_CHARS:
        return Verdict.unparseable(f"proof longer than {MAX_PROOF_CHARS} characters")
    if "\x00" in text:
        return Verdict.unparseable("NUL byte in the proof")
    if any("\ud800" <= c <= "\udfff" for c in text):
        return Verdict.unparseable("the proof is not valid Unicode (a lone surrogate)")
    if _FULL_THEOREM.match(text):
        header, sep, body = text.partition(":=")
        if not sep:
            return Verdict.unparseable("a theorem needs ':=' followed by its proof")
        if header.strip() != statement.strip():
            return Verdict.invalid("the theorem statement must be byte-identical to the given one")
        text = body.strip()
    elif text.startswith(":="):
        text = text[2:].strip()
    return text or Verdict.no_answer("empty proof")


def screen(statement: str, answer: str) -> str | Verdict:
    """The proof body if it passes the static rules, else the Verdict (invalid / unparseable)."""
    body = proof_body(statement, answer)
    if isinstance(body, Verdict):
        return body
    try:
        lexemes = lex(body)
    except Unreadable as refused:
        return Verdict.invalid(refused.why)
    if not lexemes:
        return Verdict.no_answer("the proof is only a comment")
    why = refusal(lexemes)
    return Verdict.invalid(why) if why else body
