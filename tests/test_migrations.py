"""`flask db upgrade` on an empty database yields exactly the models, and downgrades cleanly."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal import create_app
from portal.extensions import db

from .conftest import fresh_database


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database of the same kind as the test database."""
    with fresh_database(database_url, tmp_path, "portal_migrations_") as url:
        yield url


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


def test_notices_issued_before_the_provision_catalogue_keep_their_texts(empty_database_url):
    """The provision catalogue's migration turns the keys of existing notices into the texts
    they cited, and its downgrade turns them back into keys."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select

    from portal.models import Bureau, Enterprise, Notice, Region, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade(revision="60dbd455c6bf")
        when = datetime(2026, 11, 2, 2, tzinfo=UTC)
        for statement in (
            insert(Region.__table__).values(code="140000", name_zh="山西省", name_en="Shanxi",
                                            level=1),
            insert(Bureau.__table__).values(id=1, name_zh="省局", name_en="Province",
                                            short_name="晋市监", region_code="140000"),
            insert(User.__table__).values(id=1, username="reg", display_name="王",
                                          password_hash="x", role="regulator", bureau_id=1,
                                          session_nonce="n"),
            insert(Enterprise.__table__).values(id=1, name="甲公司", credit_code="9" * 18,
                                                licence_no="L1", address="太原",
                                                region_code="140000", status="active"),
            insert(Notice.__table__).values(
                id=1, bureau_id=1, year=2026, sequence=1, number="晋市监责改〔2026〕1号",
                enterprise_id=1, party_name="甲公司", party_credit_code="9" * 18,
                party_address="太原", facts="事实", provisions=["DSR-50", "PPS-24"],
                corrections="改正", status="issued", issued_by_id=1, issued_at=when,
                updated_at=when, version=1),
        ):
            db.session.execute(statement)
        db.session.commit()

        flask_migrate.upgrade()
        [cited] = db.session.execute(select(Notice.__table__.c.provisions)).scalars().all()
        assert [p["code"] for p in cited] == ["DSR-50", "PPS-24"]
        assert cited[0]["article_zh"] == "《直销管理条例》第五十条（未依规报告或披露信息）"
        assert cited[1]["penalty_en"].startswith("organiser: 500,000–2,000,000")
        db.session.commit()

        flask_migrate.downgrade(revision="60dbd455c6bf")
        assert db.session.execute(select(Notice.__table__.c.provisions)).scalar_one() == [
            "DSR-50", "PPS-24"]
        db.session.remove()
        db.engine.dispose()
