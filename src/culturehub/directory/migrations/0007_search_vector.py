"""Faster directory search: a stored text-search vector on PostgreSQL, and a place index on both databases.

PostgreSQL: ranking used to compute `to_tsvector` afresh from every result's search_text (about 0.7 ms
for each offer's 2.7 KB of text, most of a search's time). `directory_offer.search_vector` is a STORED
generated column holding that same vector (same configuration, same COALESCE as the expression index of
0002_search), so PostgreSQL keeps it in step on every insert and update with no trigger or model field;
the GIN index moves from the expression onto the column, and `directory.search` matches and ranks on
it. The column is not on the Offer model: Django never reads or writes it. A later migration changing
the type of search_text on PostgreSQL must drop the column first and add it back afterwards.

Both databases: an index on directory_offer_areas_served (area_id, offer_id), so the offers serving a
place are read from the index alone; before, SQLite scanned the whole (offer_id, area_id) index and
PostgreSQL went from the area_id index to each table row for its offer_id.
"""

from django.db import migrations

# Keep the configuration and expression in step with PG_CONFIG in directory/search.py and with 0002.
_VECTOR = "to_tsvector('english'::regconfig, COALESCE(search_text, ''))"
POSTGRES_FORWARD = [
    "ALTER TABLE directory_offer ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_VECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS directory_offer_search_vector_gin ON directory_offer USING GIN (search_vector)",
    # The expression index of 0002_search, which the column's index replaces.
    "DROP INDEX IF EXISTS directory_offer_search_gin",
]
POSTGRES_REVERSE = [
    f"CREATE INDEX IF NOT EXISTS directory_offer_search_gin ON directory_offer USING GIN ({_VECTOR})",
    "DROP INDEX IF EXISTS directory_offer_search_vector_gin",
    "ALTER TABLE directory_offer DROP COLUMN IF EXISTS search_vector",
]
AREA_INDEX = (
    "CREATE INDEX IF NOT EXISTS directory_offer_areas_served_area_offer_idx "
    "ON directory_offer_areas_served (area_id, offer_id)"
)
AREA_INDEX_DROP = "DROP INDEX IF EXISTS directory_offer_areas_served_area_offer_idx"


def _postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_organisationclaim")]

    operations = [
        migrations.RunPython(_postgres(POSTGRES_FORWARD), _postgres(POSTGRES_REVERSE)),
        migrations.RunSQL(AREA_INDEX, AREA_INDEX_DROP),
    ]
