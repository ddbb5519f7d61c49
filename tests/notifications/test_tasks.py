"""The task queue: which Huey the configuration picks, the worker, a round trip through it."""

import logging

import pytest
from huey import RedisHuey, SqliteHuey
from huey.storage import MemoryStorage

from portal import create_app, tasks
from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Filing
from portal.rules.workflow import Action, Side

from .conftest import notes_of, user


def test_the_tests_run_tasks_immediately_in_memory(app):
    huey = tasks.get_huey(app)
    assert huey.immediate and isinstance(huey.storage, MemoryStorage)


def test_sqlite_by_default_in_the_instance_folder_and_redis_by_url(tmp_path):
    huey = tasks.make_huey({}, str(tmp_path))
    assert isinstance(huey, SqliteHuey) and not huey.immediate
    assert huey.storage.filename == str(tmp_path / "huey.sqlite3")
    redis = tasks.make_huey({"HUEY_URL": "redis://redis.invalid:6379/3"}, str(tmp_path))
    assert isinstance(redis, RedisHuey)  # no connection is made until a task is queued
    assert redis.storage.conn.connection_pool.connection_kwargs["db"] == 3


def test_the_worker_refuses_immediate_mode(app):
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "HUEY_IMMEDIATE" in result.output


def test_a_queued_email_waits_for_the_worker_then_is_delivered(app_config, tmp_path, world,
                                                               caplog):
    queued = create_app({**app_config, "HUEY_IMMEDIATE": False,
                         "HUEY_SQLITE_FILE": str(tmp_path / "queue.sqlite3")})
    huey = tasks.get_huey(queued)
    with queued.app_context():
        user("ent-admin").email = "ent-admin@example.com"
        filing_ops.apply(db.session.get(Filing, world.filing_a), Action.APPROVE,
                         user("regulator"), Side.BUREAU)
        assert len(huey) == 0  # nothing before the commit
        db.session.commit()
    assert len(huey) == 1
    # What the consumer does: take the task from the queue and run it (in its app context).
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        huey.execute(huey.dequeue())
    assert len(huey) == 0
    assert "To: ent-admin@example.com" in caplog.text and "已通过" in caplog.text


def test_a_queue_failure_after_the_commit_loses_the_mail_not_the_change(app, world,
                                                                        monkeypatch, caplog):
    def broken(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks, "enqueue", broken)
    with app.app_context():
        user("ent-admin").email = "ent-admin@example.com"
        filing_ops.apply(db.session.get(Filing, world.filing_a), Action.APPROVE,
                         user("regulator"), Side.BUREAU)
        with caplog.at_level(logging.ERROR, logger="portal.notifications.outbox"):
            db.session.commit()
        assert "could not queue an e-mail to ent-admin@example.com" in caplog.text
        assert [n.message for n in notes_of("ent-admin")] == ["filing_approved"]


@pytest.mark.parametrize("value, expected", [("true", True), ("0", False)])
def test_mail_settings_come_from_the_environment(app_config, monkeypatch, value, expected):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", value)
    monkeypatch.setenv("HUEY_URL", "redis://localhost:6379/0")
    configured = create_app({**app_config, "HUEY_IMMEDIATE": True})
    assert configured.config["MAIL_SERVER"] == "smtp.example.com"
    assert configured.config["MAIL_PORT"] == 2525
    assert configured.config["MAIL_USE_TLS"] is expected
    assert isinstance(tasks.get_huey(configured), RedisHuey)
