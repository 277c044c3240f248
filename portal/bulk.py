"""Fast bulk loading with PostgreSQL COPY, for demo data and large imports.

Like ``bulk_create`` it skips ``save()`` and signals, so callers record the load itself
as one audit event. Values go through each field's ``get_db_prep_save`` (so encrypted
fields are encrypted) and psycopg's COPY adaptation.
"""

from django.db import connection


def copy_insert(model, objects, *, exclude=("id",)) -> int:
    fields = [
        f for f in model._meta.concrete_fields if f.attname not in exclude and not f.primary_key
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                for field in fields:
                    if (
                        field.attname in {"created_at", "updated_at"}
                        and getattr(obj, field.attname) is None
                    ):
                        field.pre_save(obj, add=True)
                copy.write_row(
                    [
                        field.get_db_prep_save(getattr(obj, field.attname), connection)
                        for field in fields
                    ]
                )
                count += 1
    return count
