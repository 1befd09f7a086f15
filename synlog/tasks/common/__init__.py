"""Helpers shared by several tasks: SAT encodings, grid text, exact arithmetic."""
