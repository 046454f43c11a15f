"""One account per email address, whatever its case: a unique index on LOWER(email).

Sign-in by email and single sign-on find a person by their email, so two accounts must never
share one. Empty emails (people without one) are left out of the index. The same SQL works on
SQLite (expression and partial indexes) and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("org", "0004_organisation_rules_checkin_defaults"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE UNIQUE INDEX auth_user_email_lower_unique "
            "ON auth_user (LOWER(email)) WHERE email <> ''",
            reverse_sql="DROP INDEX auth_user_email_lower_unique",
        ),
    ]
