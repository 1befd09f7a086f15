"""The fixed Arrow schema of a synlog dataset row (docs/architecture.md, "The row").

Every writer and reader goes through :data:`ROW_SCHEMA`; trainer exports add columns derived
from these, never replace them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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

#: the chat form of ``prompt`` that ``synlog generate --chat`` adds: the conversational format
#: TRL and verl read (an optional system message, then the user message)
MESSAGES_FIELD = pa.field(
    "messages", pa.list_(pa.struct([pa.field("role", pa.string()), pa.field("content", pa.string())]))
)
#: where a foreign row came from (``synlog import``): the source's name (``gsm8k``, a file's stem)
#: and the row's 0-based position in it; empty for generated rows in a mixed dataset
PROVENANCE_FIELDS = {
    "source": pa.field("source", pa.string()),
    "source_index": pa.field("source_index", pa.int64()),
}
#: columns a synlog dataset may carry beyond the fixed row
OPTIONAL_FIELDS = {MESSAGES_FIELD.name: MESSAGES_FIELD, **PROVENANCE_FIELDS}


def row_source(row: Mapping[str, Any]) -> str:
    """The source a row is reported under: its ``source`` (an imported row), else its task."""
    return str(row.get("source") or row["task"])


def chat_messages(prompt: str, system_prompt: str | None = None) -> list[dict[str, str]]:
    """A prompt as chat messages: the user message, after the system message when there is one."""
    messages = [{"role": "user", "content": prompt}]
    if system_prompt:
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def with_messages(table: pa.Table, system_prompt: str | None = None) -> pa.Table:
    """``table`` plus the ``messages`` column built from its prompts."""
    messages = [chat_messages(p, system_prompt) for p in table.column("prompt").to_pylist()]
    if MESSAGES_FIELD.name in table.column_names:
        table = table.drop_columns([MESSAGES_FIELD.name])
    return table.append_column(MESSAGES_FIELD, pa.array(messages, type=MESSAGES_FIELD.type))


def rows_to_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """An Arrow table in the row schema (column order and types fixed), plus the provenance
    columns (``source``, ``source_index``) when any row carries them."""
    rows = list(rows)
    fields = list(ROW_SCHEMA) + [f for name, f in PROVENANCE_FIELDS.items() if any(name in row for row in rows)]
    return pa.table({f.name: [row.get(f.name) for row in rows] for f in fields}, schema=pa.schema(fields))


def concat(tables: Sequence[pa.Table]) -> pa.Table:
    """Tables of synlog rows as one: a column that only some carry (``source`` of imported
    rows beside generated ones) is empty in the others."""
    if not tables:
        return ROW_SCHEMA.empty_table()
    if len({t.schema for t in tables}) == 1:
        return pa.concat_tables(tables)
    table = pa.concat_tables(tables, promote_options="default")
    order = [*COLUMNS, *(name for name in OPTIONAL_FIELDS if name in table.column_names)]
    return table.select(order)


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
    fields = list(ROW_SCHEMA)
    for name, field in OPTIONAL_FIELDS.items():  # kept when present, in the fixed type
        if name in table.column_names:
            try:
                columns.append(table.column(name).cast(field.type))
            except (pa.ArrowException, TypeError, ValueError):
                raise InputFileError(
                    f"not a synlog dataset: column '{name}' holds {table.column(name).type}, not {field.type}"
                ) from None
            fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))
