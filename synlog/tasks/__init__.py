"""The task catalogue: one module per task, one folder per family (``base.FAMILIES``: grid,
deduction, language, state, graph, search, sat, math, code, lean).

``synlog.tasks.base`` holds the contract and ``synlog.tasks.knobs`` the difficulty knobs it
declares; ``synlog.tasks.common`` holds helpers several tasks
share (SAT encodings, grid text, exact arithmetic). Templates live in ``templates/``.
"""

from synlog.tasks.base import Problem, Task, all_tasks, get_task, register

__all__ = ["Problem", "Task", "all_tasks", "get_task", "register"]
