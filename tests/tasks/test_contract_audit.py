"""The data-quality contracts (synlog/synth/audit.py), checked for every registered task.

Specification, per task and audited level (1, 3, 5, 7, 10), on a sample of rows from two seeds:
- no degenerate policy (constants, echoes of the prompt, the other seed's commonest gold, an
  all-same grid, the prompt's example answer, the task's own shortcuts) earns more than the
  task's chance bound, and never above 20 % at levels 1–2 or 10 % at levels ≥ 3, binary or with
  partial credit;
- ≥ 90 % of prompts are distinct; two seeds share ≤ 10 % of prompts, consecutive levels too;
- mean effort and hardness never fall from one level to the next, and level 10 is clearly
  harder than level 1 in both;
- every requested row is generated, or the level is refused up front.

The default run samples 20 rows per level and seed (6 for tasks that run every answer in the
sandbox) at levels 1, 5 and 10, to keep the default run short; the slow run samples 200 at
every audited level (the README's numbers), with other seeds.
"""

from __future__ import annotations

import pytest

from synlog.synth.audit import DEFAULT_LEVELS, audit_task
from synlog.tasks.base import all_tasks, get_task

TASKS = sorted(all_tasks())


#: the levels of the default run's sample (the slow run audits synlog.synth.audit.DEFAULT_LEVELS)
SAMPLE_LEVELS = (1, 5, 10)


def _check(task: str, n: int, seeds: tuple[int, int], levels: tuple[int, ...] = DEFAULT_LEVELS) -> None:
    report = audit_task(task, levels=levels, n=n, seeds=seeds)
    assert not report.failures, f"{task} fails its data-quality contracts:\n" + "\n".join(report.failures)


@pytest.mark.parametrize("task", TASKS)
def test_data_quality_contracts_hold_on_a_sample(task):
    _check(task, n=6 if get_task(task).sandboxed else 20, seeds=(0, 1), levels=SAMPLE_LEVELS)


#: seconds the 200-row audit of a task that runs every answer in the sandbox may take (code_tests:
#: about 530 s on an idle 2-core machine, past the suite's 600 s default once the machine is busy)
SANDBOXED_AUDIT_TIMEOUT_S = 1800


def _slow_params():
    return [pytest.param(task, marks=[pytest.mark.timeout(SANDBOXED_AUDIT_TIMEOUT_S)] if get_task(task).sandboxed
                         else [], id=task) for task in TASKS]


@pytest.mark.slow
@pytest.mark.parametrize("task", _slow_params())
def test_data_quality_contracts_hold_on_200_rows(task):
    _check(task, n=200, seeds=(2, 3))
