"""Trainer bridge: synlog verdicts as rewards in TRL, verl and OpenRLHF.

Modules (each imports its trainer only when used; ``pip install 'synlog[train]'`` / ``[serve]``):

- :mod:`~synlog.trainer_bridge.trl`: ``reward_functions(spec)`` for ``GRPOTrainer(reward_funcs=...)``.
- :mod:`~synlog.trainer_bridge.verl`: ``compute_score`` / ``compute_score_batch`` and the verl
  parquet export (``synlog export --format verl``).
- :mod:`~synlog.trainer_bridge.openrlhf` and :mod:`~synlog.trainer_bridge.server`: OpenRLHF's
  remote reward protocol (``synlog serve``, or this file for ``--reward.remote_url``).
- :mod:`~synlog.trainer_bridge.shaping` and :mod:`~synlog.trainer_bridge.spec`: reward terms
  (format, correctness, partial credit, LASER length steps) and the reward spec as data.
- :mod:`~synlog.trainer_bridge.curriculum`: adaptive difficulty per task, an on-the-fly dataset,
  a TRL callback, and the pass-rate filter.
- :mod:`~synlog.trainer_bridge.train`: ``synlog train`` (TRL ``GRPOTrainer`` from one config).

Every adapter scores through :class:`~synlog.trainer_bridge.scorer.Scorer`, i.e. the bounded
worker-process :class:`~synlog.verifiers.pool.VerifierPool`. A completion synlog cannot score
(a row no task can judge, an ``error`` verdict, a pool that cannot start) is never rewarded 0:
TRL gets ``None`` (left out of the step), verl an exception, OpenRLHF a 4xx/5xx answer
(``docs/trainer-bridge.md``, "When scoring fails").
"""
