"""Prompt variety, checked for every registered task (new tasks get it for free).

Specification, per task and language (``synlog.tasks.prompts.LANGS``):
- at least five templates, rendering pairwise different prompts;
- every template shows the same rule list, answer format and example answer (the blocks the
  task file defines), the ``<answer>`` tags, and its own introduction and the instance data;
- the example answer is the same text in every language (only the words around the answer
  change with the language), and every language lists as many rules;
- Chinese prompts are written in Chinese (introduction, each rule, the answer format), English
  ones hold no Chinese;
- a template is a choice of wording only: the problem, gold and fingerprint never change with it.
"""

from __future__ import annotations

import re

import pytest

from synlog.synth.example import make_row
from synlog.tasks.base import get_task
from synlog.tasks.prompts import LANGS, MIN_TEMPLATES
from tests.tasks.test_contract import TASKS, as_problem, first_rows

CJK = re.compile(r"[\u4e00-\u9fff]")


def _rendered(task: str):
    """(lang, template, prompt, parts) for every template of two level-4 rows."""
    t = get_task(task)
    for row in first_rows(task, 4, 2):
        problem = as_problem(row)
        for lang in LANGS:
            for i in range(t.templates(lang)):
                yield row, lang, i, t.prompt(problem, i, lang), t.prompt_parts(problem, i, lang)


@pytest.mark.parametrize("task", TASKS)
def test_every_language_has_five_templates(task):
    t = get_task(task)
    for lang in LANGS:
        assert t.templates(lang) >= MIN_TEMPLATES, (lang, t.templates(lang))


@pytest.mark.parametrize("task", TASKS)
def test_every_template_states_the_rules_answer_format_and_example(task):
    prompts: dict[tuple[str, str], set[str]] = {}
    examples: dict[str, set[str]] = {}
    rule_counts: dict[str, set[int]] = {}
    for row, lang, i, prompt, parts in _rendered(task):
        where = f"{task} {lang} template {i}"
        assert parts.intro and parts.rules and parts.answer, f"{where}: an empty intro, rules or answer block"
        assert "<answer>" in parts.example and "</answer>" in parts.example, f"{where}: the example has no tags"
        for piece in (parts.intro, parts.data, *parts.rules, parts.answer, parts.example):
            assert piece in prompt, f"{where}: {piece[:80]!r} is not in the prompt"
        assert "<answer>" in prompt and "</answer>" in prompt, where
        if parts.note:
            assert parts.note in prompt, where
        prompts.setdefault((row["id"], lang), set()).add(prompt)
        examples.setdefault(row["id"], set()).add(parts.example)
        rule_counts.setdefault(row["id"], set()).add(len(parts.rules))
    t = get_task(task)
    for (_, lang), texts in prompts.items():
        assert len(texts) == t.templates(lang), f"{task} {lang}: two templates render the same prompt"
    for texts in examples.values():
        assert len(texts) == 1, f"{task}: the example answer differs between languages: {texts}"
    for counts in rule_counts.values():
        assert len(counts) == 1, f"{task}: the languages list different numbers of rules: {counts}"


@pytest.mark.parametrize("task", TASKS)
def test_each_language_is_written_in_that_language(task):
    for _, lang, i, _, parts in _rendered(task):
        words = [parts.intro, *parts.rules, parts.answer] + ([parts.note] if parts.note else [])
        for text in words:
            if lang == "zh":
                assert CJK.search(text), f"{task} zh template {i}: {text[:80]!r} is not in Chinese"
            else:
                assert not CJK.search(text), f"{task} en template {i}: {text[:80]!r} holds Chinese"


@pytest.mark.parametrize("task", TASKS)
def test_the_template_never_changes_the_problem(task):
    t = get_task(task)
    spec = t.knobs.resolve(2)
    base = make_row(task, 2, {**spec, "template": 0}, 7, 1)
    for lang in LANGS:
        other = make_row(task, 2, {**spec, "template": t.templates(lang) - 1, "lang": lang}, 7, 1)
        assert (other["problem"], other["answer"], other["fingerprint"]) == (
            base["problem"], base["answer"], base["fingerprint"])
        assert other["prompt"] != base["prompt"] and other["id"] != base["id"]
