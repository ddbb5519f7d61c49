"""Outgoing e-mail through SMTP, or into the log when no MAIL_SERVER is configured.

Messages are sent by the background task ``send_email`` (never in a web request):
operations collect them with :func:`portal.notifications.outbox.queue_email`, and they are
queued only after the transaction commits.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

from .tasks import background

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from MAIL_SENDER to *to*."""
    message = EmailMessage()
    sender = current_app.config["MAIL_SENDER"]
    message["From"] = formataddr(sender) if isinstance(sender, tuple | list) else sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="portal.invalid")
    message.set_content(body)
    return message


def deliver(message: EmailMessage) -> None:
    """Send *message* over SMTP (MAIL_* settings), or log it when MAIL_SERVER is empty."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        log.info("E-mail (no MAIL_SERVER, not sent)\nTo: %s\nSubject: %s\n\n%s",
                 message["To"], message["Subject"], message.get_content())
        return
    port = int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25))
    timeout = config.get("MAIL_TIMEOUT", 30)
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(server, port, timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


@background("send_email")
def send_email(to: str, subject: str, body: str) -> None:
    """Background task: build and deliver one e-mail."""
    deliver(build_message(to, subject, body))
