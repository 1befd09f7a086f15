"""math tasks."""
