"""Prompts in several wordings and languages, from one jinja2 file per task and language.

A model trained on one wording learns the wording, so every task renders each row from one of
several *templates*. A template is a pair: one of the task's paraphrased introductions and one
of the language's shared *layouts* (what order the parts come in, how the rules are listed, how
the answer format is introduced). What a row asks never changes with the template: the rules,
the answer format and the example answer are the same blocks in every one.

A task's file, ``synlog/tasks/templates/<lang>/<name>.j2``, defines these jinja2 blocks::

    {% block intro1 %}Solve this {{ n }}×{{ n }} Sudoku.{% endblock %}
    {% block intro2 %}Complete the {{ n }}×{{ n }} Sudoku grid below.{% endblock %}
    ...                                     (intro1..introK, K ≥ 5: one template each)
    {% block data %}{{ puzzle_text }}{% endblock %}          (the instance; may be empty)
    {% block rules %}
    Fill every empty cell (shown as ".") with a digit from 1 to {{ n }}.
    Keep the given digits.
    {% endblock %}                           (one rule per line: listed, numbered or run on)
    {% block answer %}the completed grid, one row per line{% endblock %}
    {% block example %}<answer>...</answer>{% endblock %}
    {% block note %}a completed 4×4 grid{% endblock %}         (optional: what the example is)

``answer`` is a phrase with no final full stop (layouts write "Answer format: {answer}." or
"Give {answer}."); ``example`` is written exactly as a model should write it, tags included,
and is the same text in every language: only the words around the answer change with ``lang``,
never the answer format or the verifier. An introduction must read well whether the data
follows it directly or after the rules ("the grid below", never a colon that points at it).

Template ``t`` pairs ``intro{t+1}`` with layout ``t mod 5`` of
``templates/_layouts/<lang>.j2``. Rows pick ``t`` with their own seeded stream (knob
``template=random``, the default) or take a fixed one (``template=3``); the row's ``params``
record the template and the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

#: the languages every task renders in (``synlog generate --lang``)
LANGS = ("en", "zh")
#: the presentation settings a row records beside its knobs; they never change the problem
PRESENTATION = ("template", "lang")
#: the fewest paraphrased templates a task may have per language
MIN_TEMPLATES = 5

_INTRO = re.compile(r"intro(\d+)$")


@dataclass(frozen=True)
class PromptParts:
    """The pieces one template assembles; the contract suite checks each is in every prompt."""

    intro: str
    data: str
    rules: tuple[str, ...]
    answer: str
    example: str
    note: str


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of every prompt template (filters are added with
    :func:`synlog.tasks.base.template_filter`)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("synlog.tasks", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def task_file(name: str, lang: str) -> str:
    return f"{lang}/{name}.j2"


@cache
def template_count(name: str, lang: str = "en") -> int:
    """How many templates (paraphrased introductions) ``name`` has in ``lang``."""
    blocks = environment().get_template(task_file(name, lang)).blocks
    return len([b for b in blocks if _INTRO.match(b)])


def _block(template: jinja2.Template, block: str, context: jinja2.runtime.Context) -> str:
    if block not in template.blocks:
        return ""
    text = "".join(template.blocks[block](context))
    # the data keeps the indentation of its first line (a board's column header, an expression)
    return text.strip("\n").rstrip() if block == "data" else text.strip()


def parts(name: str, template: int, lang: str, context: dict[str, Any]) -> PromptParts:
    """The rendered pieces of template ``template`` of task ``name`` in ``lang``."""
    source = environment().get_template(task_file(name, lang))
    ctx = source.new_context(dict(context))
    rules = tuple(line.strip() for line in _block(source, "rules", ctx).splitlines() if line.strip())
    return PromptParts(
        intro=_block(source, f"intro{template + 1}", ctx),
        data=_block(source, "data", ctx),
        rules=rules,
        answer=_block(source, "answer", ctx),
        example=_block(source, "example", ctx),
        note=_block(source, "note", ctx),
    )


@cache
def _layouts(lang: str) -> jinja2.Template:
    return environment().get_template(f"_layouts/{lang}.j2")


def render_prompt(name: str, template: int, lang: str, context: dict[str, Any]) -> str:
    """The prompt of one row: template ``template`` of task ``name`` in ``lang``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    count = template_count(name, lang)
    if not 0 <= template < count:
        raise ValueError(f"task '{name}' has templates 0 to {count - 1} in {lang}, not {template}")
    return assemble(parts(name, template, lang, context), template, lang)


def assemble(piece: PromptParts, template: int, lang: str) -> str:
    """The prompt that layout ``template mod 5`` of ``lang`` makes of ``piece``."""
    layouts = _layouts(lang).module
    layout = getattr(layouts, f"layout{template % MIN_TEMPLATES}")
    text = layout(intro=piece.intro, data=piece.data, rules=list(piece.rules), answer=piece.answer,
                  example=piece.example, note=piece.note)
    return re.sub(r"\n{3,}", "\n\n", str(text)).strip() + "\n"
