"""Bring numbers saved before every input was checked against its column back within it.

Before the actions checked each number against its column, SQLite stored weights such as
0.00001 or 99999 as typed (reading them back then failed on every page that showed them) and
PostgreSQL rounded a weight of 0.004 to 0 (a key result that weighs nothing). The nearest
value the column and the actions accept replaces each.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (model, column, lowest accepted, highest accepted, decimal places)
LIMITS = (
    ("keyresult", "weight", "0.01", "9999.99", 2),
    ("alignment", "weight", "0.01", "9999.99", 2),
)


def repair(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for model_name, column, low, high, places in LIMITS:
            table = connection.ops.quote_name(apps.get_model("okrs", model_name)._meta.db_table)
            name = connection.ops.quote_name(column)
            cursor.execute(f"UPDATE {table} SET {name} = %s WHERE {name} < %s", [low, low])
            cursor.execute(f"UPDATE {table} SET {name} = %s WHERE {name} > %s", [high, high])
            cursor.execute(
                f"UPDATE {table} SET {name} = ROUND({name}, {places}) "
                f"WHERE {name} <> ROUND({name}, {places})"
            )


class Migration(migrations.Migration):
    dependencies = [("okrs", "0002_objective_review")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
