"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py "portal:create_app()"`.

Sync workers: each request gets a whole process, which suits a database-bound portal and
keeps load spread across workers (threaded workers with keep-alive clients were measured to
pile all load onto one worker). Put a reverse proxy (nginx) in front for TLS and static files.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("PORTAL_PROXY_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the worker has loaded the portal, move everything it holds (modules, the
    application, SQLAlchemy's and Babel's tables) out of the garbage collector's sight: a full
    collection then no longer walks those few hundred thousand objects, which showed as 20 to
    30 ms pauses in the slowest percent of requests."""
    gc.freeze()
