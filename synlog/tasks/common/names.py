"""First names for the people in story tasks (tree_relations, goods_exchange, web_of_lies, ...).

    pick_names(np.random.default_rng(0), 3)  # three distinct names, in random order
"""

from __future__ import annotations

import numpy as np

NAMES = (
    "Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Iris", "Jack",
    "Kate", "Leo", "Mia", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sam", "Tina", "Uma",
    "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Adam", "Bella", "Chris", "Diana", "Ethan",
    "Fiona", "George", "Hana", "Ivan", "Julia", "Kevin", "Lily", "Marco", "Nora",
)


def pick_names(rng: np.random.Generator, k: int) -> list[str]:
    """``k`` distinct names in random order."""
    return [NAMES[i] for i in rng.choice(len(NAMES), k, replace=False).tolist()]
