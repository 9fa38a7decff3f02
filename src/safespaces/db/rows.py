"""Reading and inserting a few rows on a hot path, with SQL made straight from the model.

`QuerySet.bulk_create` and `filter(...).values_list(...)` build and compile a query on every
call; for the handful of rows a webhook's group commit reads and writes, that costs several
times the statement itself (about half a millisecond a call). Here the statement's text comes
from the model's metadata, and each value to insert is prepared as the ORM prepares it
(`pre_save`, then `get_db_prep_save`), so defaults, `auto_now_add` and the vault's encrypted
fields behave as with `bulk_create`. Like `bulk_create`, no signals are sent and `save()` is
not called. Only plain and binary columns are supported: another field with its own
placeholder (a geometry, say) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import AutoField, BigAutoField, BinaryField, Field, Model, SmallAutoField

AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)


def insert_rows(model: type[Model], objs: Sequence[Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert `objs` (all new) in as few statements as the database allows; each gets its
    primary key when the database numbers it."""
    if not objs:
        return
    connection = connections[using]
    pk = model._meta.pk
    numbered = isinstance(pk, AUTO_FIELDS) and all(obj.pk is None for obj in objs)
    if isinstance(pk, AUTO_FIELDS) and not numbered and any(obj.pk is None for obj in objs):
        raise ValueError("Either every record has its primary key or none has.")
    fields = [field for field in model._meta.concrete_fields if not (numbered and field is pk)]
    if any(
        hasattr(field, "get_placeholder") and not isinstance(field, BinaryField) for field in fields
    ):
        raise ValueError(f"{model.__name__} has a field that needs its own placeholder.")
    if numbered and not connection.features.can_return_rows_from_bulk_insert:
        model._base_manager.db_manager(using).bulk_create(objs)
        return
    batch = max(1, connection.ops.bulk_batch_size(fields, objs))
    for start in range(0, len(objs), batch):
        insert_batch(model, fields, objs[start : start + batch], using, numbered)


def insert_batch(
    model: type[Model],
    fields: list[Field[Any, Any]],
    objs: Sequence[Model],
    using: str,
    numbered: bool,
) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    rows: list[str] = []
    params: list[Any] = []
    for obj in objs:
        # As bulk_create: a foreign key to a record saved since takes its key; unsaved, refused.
        obj._prepare_related_fields_for_save(operation_name="insert_rows")  # type: ignore[attr-defined]
        values = [
            field.get_db_prep_save(field.pre_save(obj, True), connection=connection)
            for field in fields
        ]
        placeholders = [
            placeholder(field, value, connection)
            for field, value in zip(fields, values, strict=True)
        ]
        rows.append(f"({', '.join(placeholders)})")
        params.extend(values)
    sql = (
        f"INSERT INTO {quote(str(model._meta.db_table))} "  # noqa: S608 (names from the model)
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES {', '.join(rows)}"
    )
    pk = model._meta.pk
    assert pk is not None
    if numbered:
        sql += f" RETURNING {quote(str(pk.column))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # As Django's bulk_create, rely on RETURNING giving the rows in the VALUES order.
        numbers = cursor.fetchall() if numbered else []
    for position, obj in enumerate(objs):
        if numbered:
            obj.pk = numbers[position][0]
        obj._state.adding = False
        obj._state.db = using


def placeholder(field: Field[Any, Any], value: Any, connection: BaseDatabaseWrapper) -> str:
    if isinstance(field, BinaryField):
        # django-stubs gives this method a compiler argument that Django 5.2 does not have.
        return str(connection.ops.binary_placeholder_sql(value))  # type: ignore[call-arg]
    return "%s"


def rows_where_in(
    model: type[Model],
    columns: Sequence[str],
    matching: Mapping[str, Iterable[Any]],
    using: str = DEFAULT_DB_ALIAS,
) -> list[tuple[Any, ...]]:
    """The given fields of the rows whose fields are among the given values (plain text or
    number columns), e.g. `rows_where_in(Correspondent, ("phone_index", "id"),
    {"phone_index": indexes})`."""
    connection = connections[using]
    quote = connection.ops.quote_name
    conditions: list[str] = []
    params: list[Any] = []
    for name, values in matching.items():
        chosen = sorted(set(values))
        if not chosen:
            return []
        placeholders = ", ".join(["%s"] * len(chosen))
        conditions.append(f"{quote(column_of(model, name))} IN ({placeholders})")
        params.extend(chosen)
    selected = ", ".join(quote(column_of(model, name)) for name in columns)
    table = quote(str(model._meta.db_table))
    sql = f"SELECT {selected} FROM {table} WHERE {' AND '.join(conditions)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def column_of(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column.")
    return str(field.column)
