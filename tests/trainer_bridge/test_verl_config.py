"""examples/verl_reward.yaml: the keys verl 0.9 reads, loaded through verl's own config.

verl 0.9.1 (PyPI, verl-0.9.1-py3-none-any.whl) reads the reward function from
``config.reward.custom_reward_function.{path,name}`` (``verl/trainer/ppo/reward.py:70-80``;
declared in ``verl/trainer/config/reward/reward.yaml:8-13``, mounted at ``reward`` by
``verl/trainer/config/ppo_trainer.yaml:37``). The top-level ``custom_reward_function`` still
exists (``verl/trainer/config/legacy_reward_impl.yaml:1-3``) but only
``migrate_legacy_reward_impl`` (``verl/experimental/reward_loop/reward_loop.py:57-60``) copies
it over, and 0.9.1's ``verl/trainer/main_ppo.py`` no longer calls it (0.8.0's did, at
``main_ppo.py:47``): with the old key verl 0.9 silently uses its default scorer. Main at
b178a3cd56f58b2d502255daba591e92833930a7 still reads the top-level key
(``verl/trainer/ppo/reward.py:80``). ``pkg://`` paths: ``verl/utils/import_utils.py:170-172``.

The hydra test composes the snippet the way ``verl.trainer.main_ppo`` does
(``@hydra.main(config_path="config", config_name="ppo_trainer")``, ``main_ppo.py:166``, with
``--config-path/--config-name`` pointing at examples/); it needs hydra-core and verl's config
folder (``pip install verl``; verl's package is found without importing it, since importing
it needs Ray), and is skipped without them.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path

import pytest
import yaml

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "verl_reward.yaml"
PKG = "pkg://"


def load_module(module_path: str):
    """verl/utils/import_utils.py:170-172 for a pkg:// path."""
    assert module_path.startswith(PKG)
    return importlib.import_module(module_path[len(PKG):].replace("/", "."))


def test_snippet_names_synlogs_reward_loop_function_under_the_reward_key():
    config = yaml.safe_load(EXAMPLE.read_text())
    assert "custom_reward_function" not in config  # the key verl 0.9 ignores
    function = config["reward"]["custom_reward_function"]
    raw_fn = getattr(load_module(function["path"]), function["name"])
    assert inspect.iscoroutinefunction(raw_fn)  # awaited by the reward loop (naive.py:30, :66-73)
    assert config["defaults"] == ["ppo_trainer", "_self_"]
    assert config["hydra"]["searchpath"] == ["pkg://verl.trainer.config"]


def verl_config_dir() -> Path:
    pytest.importorskip("hydra", reason="needs hydra-core (a verl dependency)")
    spec = importlib.util.find_spec("verl")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("needs verl's config folder: pip install verl")
    folder = Path(next(iter(spec.submodule_search_locations))) / "trainer" / "config"
    if not (folder / "ppo_trainer.yaml").exists():
        pytest.skip(f"no ppo_trainer.yaml under {folder}")
    return folder


def compose(config_dir: Path, name: str, overrides: list[str]):
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    try:
        import verl  # noqa: F401  # pkg://verl.trainer.config resolves only when verl imports
        search = []
    except ImportError:
        search = [f"hydra.searchpath=[file://{config_dir}]"]
    with initialize_config_dir(config_dir=str(EXAMPLE.parent if name == EXAMPLE.stem else config_dir),
                               version_base=None):
        return hydra_compose(name, overrides=search + overrides)


def test_snippet_composes_with_verls_ppo_trainer_config():
    folder = verl_config_dir()
    reward_yaml = yaml.safe_load((folder / "reward" / "reward.yaml").read_text())
    assert set(reward_yaml["custom_reward_function"]) == {"path", "name"}  # the key exists in verl's config

    config = compose(folder, EXAMPLE.stem, ["data.train_files=train.parquet"])
    assert config.reward.custom_reward_function.path == "pkg://synlog.trainer_bridge.verl"
    assert config.reward.custom_reward_function.name == "compute_score_async"
    assert config.reward.reward_manager.name == "naive"  # the reward loop's manager
    assert config.custom_reward_function.path is None  # legacy key untouched
    assert config.data.train_files == "train.parquet"  # the rest is verl's own ppo_trainer config
    raw_fn = getattr(load_module(config.reward.custom_reward_function.path), config.reward.custom_reward_function.name)
    assert inspect.iscoroutinefunction(raw_fn)


def test_the_old_top_level_key_leaves_verls_reward_function_unset():
    """Why the docs give the ``reward.`` key: reward.py:70-73 would return None and verl's
    default scorer would run."""
    folder = verl_config_dir()
    config = compose(folder, "ppo_trainer", ["custom_reward_function.path=pkg://synlog.trainer_bridge.verl",
                                             "custom_reward_function.name=compute_score"])
    assert config.reward.custom_reward_function.path is None
