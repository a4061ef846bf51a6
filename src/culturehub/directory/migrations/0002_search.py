"""Full-text search over Offer.search_text, in whichever database is in use.

SQLite: a contentless FTS5 index of each offer's search_text, kept in step by triggers. Offer's key is a
UUID, so a narrow table (`directory_offer_fts_map`) gives each offer the stable integer the index needs
(SQLite's implicit rowid of directory_offer may change on VACUUM). Being contentless, the index holds no
second copy of the text: deleting or changing an entry passes the old text back to FTS5, which the
triggers have as `old.search_text`. PostgreSQL: a GIN index on the same expression
`django.contrib.postgres.search.SearchVector` produces, so the planner uses it.
"""

from django.db import migrations

_ROWID = "(SELECT rowid FROM directory_offer_fts_map WHERE offer_id = {}.id)"
SQLITE_TABLES = [
    """CREATE TABLE IF NOT EXISTS directory_offer_fts_map (
        rowid INTEGER PRIMARY KEY, offer_id char(32) NOT NULL UNIQUE
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS directory_offer_fts USING fts5(
        search_text, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS directory_offer_fts_insert AFTER INSERT ON directory_offer BEGIN
        INSERT INTO directory_offer_fts_map (offer_id) VALUES (new.id);
        INSERT INTO directory_offer_fts (rowid, search_text) VALUES ({_ROWID.format("new")}, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS directory_offer_fts_update
    AFTER UPDATE OF id, search_text ON directory_offer
    WHEN old.search_text IS NOT new.search_text OR old.id IS NOT new.id BEGIN
        INSERT INTO directory_offer_fts (directory_offer_fts, rowid, search_text)
            VALUES ('delete', {_ROWID.format("old")}, old.search_text);
        UPDATE directory_offer_fts_map SET offer_id = new.id WHERE offer_id = old.id;
        INSERT INTO directory_offer_fts (rowid, search_text) VALUES ({_ROWID.format("new")}, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS directory_offer_fts_delete AFTER DELETE ON directory_offer BEGIN
        INSERT INTO directory_offer_fts (directory_offer_fts, rowid, search_text)
            VALUES ('delete', {_ROWID.format("old")}, old.search_text);
        DELETE FROM directory_offer_fts_map WHERE offer_id = old.id;
    END""",
]
SQLITE_FILL = [
    "INSERT INTO directory_offer_fts (directory_offer_fts) VALUES ('delete-all')",
    "DELETE FROM directory_offer_fts_map",
    "INSERT INTO directory_offer_fts_map (offer_id) SELECT id FROM directory_offer",
    """INSERT INTO directory_offer_fts (rowid, search_text)
        SELECT m.rowid, o.search_text FROM directory_offer AS o
        JOIN directory_offer_fts_map AS m ON m.offer_id = o.id""",
]
SQLITE_CREATE = SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_FILL
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS directory_offer_fts_insert",
    "DROP TRIGGER IF EXISTS directory_offer_fts_update",
    "DROP TRIGGER IF EXISTS directory_offer_fts_delete",
    "DROP TABLE IF EXISTS directory_offer_fts",
    "DROP TABLE IF EXISTS directory_offer_fts_map",
]
POSTGRES_CREATE = [
    """CREATE INDEX IF NOT EXISTS directory_offer_search_gin ON directory_offer
    USING GIN (to_tsvector('english'::regconfig, COALESCE(search_text, '')))""",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS directory_offer_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
