"""`flask db upgrade` on an empty database yields exactly the models, and downgrades cleanly."""

import uuid

import flask_migrate
import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"portal_migrations_{uuid.uuid4().hex[:8]}"
    server = url.set(drivername="postgresql", database="postgres")
    dsn = server.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {
            "alembic_version"
        }

        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


FIRST_REVISION = "279051ddcac1"


def test_upgrade_keeps_the_data_of_an_existing_database(empty_database_url):
    """Upgrading a database in use (rows that reference each other) must not lose or break them;
    SQLite rebuilds tables in batch migrations, which must not trip over foreign keys."""
    from sqlalchemy import text

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade(revision=FIRST_REVISION)
        statements = [
            "INSERT INTO region (code, name_zh, name_en, level, parent_code) VALUES "
            "('140000', '山西省', 'Shanxi', 1, NULL), "
            "('140500', '晋城市', 'Jincheng', 2, '140000')",
            "INSERT INTO bureau (id, name_zh, name_en, short_name, region_code, parent_id, "
            "is_active, created_at) VALUES "
            "(1, '省局', 'Province', '晋市监', '140000', NULL, true, '2026-01-01 00:00:00'), "
            "(2, '市局', 'City', '晋城市监', '140500', 1, true, "
            "'2026-01-01 00:00:00')",
            "INSERT INTO \"user\" (id, username, display_name, password_hash, role, bureau_id, "
            "is_active, must_change_password, session_nonce, created_at) VALUES (1, 'reg', '王', "
            "'x', 'regulator', 2, true, false, 'n', '2026-01-01 00:00:00')",
        ]
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()

        flask_migrate.upgrade()
        rows = db.session.execute(
            text("SELECT b.short_name, b.parent_id, b.meeting_lead_days, u.username FROM bureau b "
                 "JOIN \"user\" u ON u.bureau_id = b.id")
        ).all()
        assert [tuple(r) for r in rows] == [("晋城市监", 1, 7, "reg")]
        db.session.remove()
        db.engine.dispose()
