"""Deduction puzzles: one model consistent with the clues (zebra, knights and knaves, web of
lies, cryptarithms, math paths), proved unique by SAT, enumeration or column search."""
