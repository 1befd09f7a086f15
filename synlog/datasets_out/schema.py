"""The fixed Arrow schema of a synlog dataset row (DESIGN.md, "The dataset row").

Every writer and reader goes through :data:`ROW_SCHEMA`; trainer exports add columns derived
from these, never replace them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

ROW_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("task", pa.string(), nullable=False),
        pa.field("family", pa.string(), nullable=False),
        pa.field("difficulty", pa.int8(), nullable=False),
        pa.field("params", pa.string(), nullable=False),  # JSON: concrete knob values
        pa.field("seed", pa.int64(), nullable=False),
        pa.field("index", pa.int64(), nullable=False),
        pa.field("prompt", pa.string(), nullable=False),
        pa.field("answer", pa.string(), nullable=False),  # canonical gold answer text
        pa.field("problem", pa.string(), nullable=False),  # JSON: all that verify needs
        pa.field("effort", pa.float64(), nullable=False),
        pa.field("fingerprint", pa.string(), nullable=False),
        pa.field("task_version", pa.int32(), nullable=False),
        pa.field("synlog_version", pa.string(), nullable=False),
    ]
)
COLUMNS = ROW_SCHEMA.names


def rows_to_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """An Arrow table in the row schema (column order and types fixed)."""
    rows = list(rows)
    return pa.table({name: [row[name] for row in rows] for name in COLUMNS}, schema=ROW_SCHEMA)


def conform(table: pa.Table) -> pa.Table:
    """Cast a table read back from disk to the row schema (JSON readers widen int types).

    A table that cannot be one (columns missing, of another type, or with empty cells) is an
    :class:`~synlog.errors.InputFileError` naming the column.
    """
    from synlog.errors import InputFileError

    missing = [name for name in COLUMNS if name not in table.column_names]
    if missing:
        raise InputFileError(f"not a synlog dataset: columns {', '.join(missing)} are missing")
    columns = []
    for target in ROW_SCHEMA:
        column = table.column(target.name)
        try:
            columns.append(column.cast(target.type))
        except (pa.ArrowException, TypeError, ValueError):
            raise InputFileError(
                f"not a synlog dataset: column '{target.name}' holds {column.type}, not {target.type};"
                " regenerate the dataset"
            ) from None
        if column.null_count:
            raise InputFileError(
                f"not a synlog dataset: column '{target.name}' has {column.null_count} empty cells;"
                " regenerate the dataset"
            )
    return pa.Table.from_arrays(columns, schema=ROW_SCHEMA)
