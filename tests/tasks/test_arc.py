"""Specification of the ARC transformation library (synlog.tasks.common.arc)."""

from __future__ import annotations

import numpy as np

from synlog.tasks.common.arc import (
    apply_steps,
    crop,
    fill_enclosed,
    gravity,
    move,
    reflect,
    rotate,
    scale,
    step_space,
    tile,
)

G = np.array([[1, 0, 0], [2, 2, 0]])


def test_rotate_is_clockwise_and_four_turns_are_the_identity():
    assert rotate(G, 1).tolist() == [[2, 1], [2, 0], [0, 0]]
    assert np.array_equal(rotate(rotate(G, 3), 1), G)


def test_reflections():
    assert reflect(G, "h").tolist() == [[0, 0, 1], [0, 2, 2]]
    assert reflect(G, "v").tolist() == [[2, 2, 0], [1, 0, 0]]
    assert reflect(G, "d").tolist() == [[1, 2], [0, 2], [0, 0]]


def test_gravity_keeps_order_within_a_line():
    grid = np.array([[3, 0], [0, 0], [4, 5]])
    assert gravity(grid, "down").tolist() == [[0, 0], [3, 0], [4, 5]]
    assert gravity(grid, "up").tolist() == [[3, 5], [4, 0], [0, 0]]
    assert gravity(grid, "right").tolist() == [[0, 3], [0, 0], [4, 5]]
    assert gravity(grid, "left").tolist() == [[3, 0], [0, 0], [4, 5]]


def test_crop_tile_scale():
    assert crop(np.array([[0, 0, 0], [0, 7, 0], [0, 0, 0]])).tolist() == [[7]]
    assert crop(np.zeros((2, 2), dtype=int)).shape == (2, 2)
    assert tile(np.array([[1, 2]]), 2, 1).tolist() == [[1, 2], [1, 2]]
    assert scale(np.array([[1, 2]]), 2).tolist() == [[1, 1, 2, 2], [1, 1, 2, 2]]


def test_fill_enclosed_fills_only_holes():
    ring = np.array([[0, 0, 0, 0, 0], [0, 3, 3, 3, 0], [0, 3, 0, 3, 0], [0, 3, 3, 3, 0], [0, 0, 0, 0, 0]])
    filled = fill_enclosed(ring, 6)
    assert filled[2, 2] == 6 and (filled == 6).sum() == 1
    open_ring = ring.copy()
    open_ring[1, 2] = 0
    assert np.array_equal(fill_enclosed(open_ring, 6), open_ring)


def test_move_drops_cells_leaving_the_grid_and_covers_others():
    grid = np.array([[5, 1], [0, 5]])
    assert move(grid, 5, 0, 1).tolist() == [[0, 5], [0, 0]]


def test_compositions_apply_left_to_right_and_are_deterministic():
    steps = [{"op": "rotate", "turns": 1}, {"op": "recolour", "source": 2, "target": 9}]
    assert apply_steps(G, steps).tolist() == [[9, 1], [9, 0], [0, 0]]
    assert np.array_equal(apply_steps(G, steps), apply_steps(G.copy(), steps))


def test_step_space_is_json_and_covers_every_op():
    space = step_space([1, 2])
    assert {s["op"] for s in space} == {"rotate", "reflect", "recolour", "gravity", "crop", "tile", "scale",
                                        "fill_enclosed", "move"}
    assert not {s["op"] for s in step_space([1], resize=False)} & {"tile", "scale"}
