"""E-mail: queued after commit as a Huey task, delivered by SMTP or to the log, as chosen."""

import logging

from portal import tasks
from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Filing, NotificationKind
from portal.notifications import operations, outbox
from portal.rules.workflow import Action, Side

from ..review.conftest import signed_in, version_on
from .conftest import notes_of, user


def decide(app, world, action="approve", **form):
    client = signed_in(app, "regulator")
    page = client.get(f"/filings/{world.filing_a}").get_data(as_text=True)
    response = client.post(f"/review/filings/{world.filing_a}/{action}",
                           data={"version": version_on(page, action), **form})
    assert response.status_code == 302
    return response


def test_a_decision_is_mailed_through_the_task_queue_in_each_readers_language(
        app, world, with_emails, smtp, monkeypatch):
    enqueued = []
    real_enqueue = tasks.enqueue
    monkeypatch.setattr(tasks, "enqueue", lambda name, *a: (enqueued.append(name),
                                                            real_enqueue(name, *a)))
    with app.app_context():
        user("ent-admin").locale = "en"
        db.session.commit()
    decide(app, world)
    assert enqueued == ["send_email", "send_email"]
    by_to = {m["To"]: (host, port, tls, m) for host, port, tls, m in smtp}
    assert set(by_to) == {"ent-admin@example.com", "ent-staff@example.com"}
    host, port, tls, english = by_to["ent-admin@example.com"]
    assert (host, port, tls) == ("smtp.example.com", 587, True)
    assert english["Subject"] == "Decision on a filing · Direct-Selling Compliance Portal"
    body = english.get_content()
    assert "Approved: Service outlet" in body and f"/filings/{world.filing_a}" in body
    chinese = by_to["ent-staff@example.com"][3]
    assert "备案" in chinese["Subject"] and "已通过" in chinese.get_content()
    assert chinese["From"] and chinese["Message-ID"]


def test_no_mail_for_email_off_or_no_address(app, world, with_emails, smtp):
    with app.app_context():
        admin = user("ent-admin")
        operations.set_preferences(admin, {NotificationKind.FILING_DECIDED: (True, False)},
                                   admin)
        user("ent-staff").email = None
        db.session.commit()
    decide(app, world)
    assert smtp == []
    with app.app_context():  # the in-app notifications are still there
        assert len(notes_of("ent-admin")) == 1 and len(notes_of("ent-staff")) == 1


def test_no_mail_for_a_rolled_back_transaction(app, world, with_emails, smtp):
    with app.app_context():
        filing_ops.apply(db.session.get(Filing, world.filing_a), Action.APPROVE,
                         user("regulator"), Side.BUREAU)
        assert len(outbox.pending(db.session)) == 2
        db.session.rollback()
        assert outbox.pending(db.session) == []
        db.session.commit()  # a later commit sends nothing either
    assert smtp == []


def test_a_lost_race_sends_nothing(app, world, with_emails, smtp):
    client = signed_in(app, "regulator")
    response = client.post(f"/review/filings/{world.filing_a}/approve", data={"version": "0"})
    assert response.status_code == 409
    assert smtp == []


def test_mail_is_sent_only_after_the_commit(app, world, with_emails, smtp):
    with app.app_context():
        filing_ops.apply(db.session.get(Filing, world.filing_a), Action.APPROVE,
                         user("regulator"), Side.BUREAU)
        assert smtp == []
        db.session.commit()
        assert len(smtp) == 2


def test_without_a_mail_server_the_message_goes_to_the_log(app, world, with_emails, caplog):
    assert not app.config["MAIL_SERVER"]
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        decide(app, world)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "portal.mail")
    assert "To: ent-admin@example.com" in logged and "To: ent-staff@example.com" in logged


def test_smtp_over_ssl_with_login(app, world, monkeypatch):
    from portal import mail

    sent = []

    class FakeSSL:
        def __init__(self, host, port, timeout=None, context=None):
            self.where = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def login(self, username, password):
            sent.append(("login", username, password))

        def send_message(self, message):
            sent.append((self.where, message["To"]))

    monkeypatch.setattr("smtplib.SMTP_SSL", FakeSSL)
    for key, value in {"MAIL_SERVER": "mail.example.com", "MAIL_USE_SSL": True,
                       "MAIL_PORT": 0, "MAIL_USERNAME": "u", "MAIL_PASSWORD": "p"}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        tasks.enqueue("send_email", "x@example.com", "Subject", "Body")
        assert mail  # the module that registered the task
    assert sent == [("login", "u", "p"), (("mail.example.com", 465), "x@example.com")]
