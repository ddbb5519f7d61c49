"""The background task queue (Huey): e-mail now, reminders daily, batch PDFs later.

Tasks are plain functions registered with :func:`background`; :func:`init_app` makes one Huey
instance per application from its configuration and wraps every task so it runs inside an
application context of that app (its own database session, as in the worker process).

* ``HUEY_URL`` empty (the default): ``SqliteHuey`` with its file in the instance folder
  (``HUEY_SQLITE_FILE``, default ``huey.sqlite3``).
* ``HUEY_URL=redis://host:6379/0``: ``RedisHuey`` (production).
* ``HUEY_IMMEDIATE=True``: tasks run at once in the calling thread, on in-memory storage
  (tests; periodic tasks do not run).

The worker is ``flask --app portal worker`` (``make run`` starts it beside the web server).
"""

import functools
import logging
import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from huey import Huey, RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")
EXTENSION = "portal.tasks"

# name -> (function, periodic schedule or None), filled by @background at import time.
TASKS: dict[str, tuple] = {}


def background(name: str, periodic=None):
    """Register the decorated function as the background task *name*.

    *periodic* is a schedule (a function of a naive UTC datetime, e.g. :func:`daily_at`):
    the worker then runs the task by itself whenever the schedule says so.
    """

    def decorator(fn):
        TASKS[name] = (fn, periodic)
        return fn

    return decorator


def daily_at(hour: int, minute: int = 0):
    """A schedule matching *hour*:*minute* every day in China Standard Time."""
    matches = crontab(minute=str(minute), hour=str(hour))

    def schedule(timestamp: datetime) -> bool:
        # Huey passes naive UTC datetimes (utc=True, its default).
        local = timestamp.replace(tzinfo=UTC).astimezone(CHINA).replace(tzinfo=None)
        return matches(local)

    return schedule


def make_huey(config, instance_path: str) -> Huey:
    """The Huey instance the configuration asks for (see the module docstring)."""
    name = config.get("HUEY_NAME", "portal")
    immediate = bool(config.get("HUEY_IMMEDIATE"))
    url = config.get("HUEY_URL")
    if url:
        return RedisHuey(name, url=url, immediate=immediate)
    filename = os.path.join(instance_path, config.get("HUEY_SQLITE_FILE", "huey.sqlite3"))
    return SqliteHuey(name, filename=filename, immediate=immediate)


def init_app(app) -> None:
    """Create the app's Huey instance and register every task, each run in an app context."""
    huey = make_huey(app.config, app.instance_path)
    wrappers = {}
    for name, (fn, periodic) in TASKS.items():
        runner = _in_app_context(app, fn)
        if periodic is None:
            wrappers[name] = huey.task(name=name)(runner)
        else:
            wrappers[name] = huey.periodic_task(periodic, name=name)(runner)
    app.extensions[EXTENSION] = (huey, wrappers)
    app.cli.add_command(worker)


def _in_app_context(app, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        with app.app_context():
            return fn(*args, **kwargs)

    return run


def get_huey(app=None) -> Huey:
    """The Huey instance of *app* (default: the current app)."""
    return (app or current_app).extensions[EXTENSION][0]


def enqueue(name: str, *args, **kwargs) -> None:
    """Queue the task *name* with these arguments (JSON-like values only).

    In immediate mode the task runs before this returns; its errors are logged, not raised.
    """
    wrappers = current_app.extensions[EXTENSION][1]
    wrappers[name](*args, **kwargs)


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker(workers: int) -> None:
    """Run the task-queue consumer (e-mail, daily reminders) until interrupted."""
    huey = get_huey()
    if huey.immediate:
        raise click.ClickException("HUEY_IMMEDIATE is set: tasks already run in the caller.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Task worker on {type(huey.storage).__name__}, {workers} thread(s)")
    huey.create_consumer(workers=workers, worker_type="thread").run()
