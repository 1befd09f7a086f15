"""lean tasks."""
