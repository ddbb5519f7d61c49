"""gunicorn settings for the benchmark: the production settings without the access log.

2 sync workers on a 2-core machine (BENCH_WORKERS to change it); bind from BENCH_BIND.
"""

import gc
import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8701")
workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = "sync"
backlog = 2048
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"


def post_worker_init(worker):
    """Once the worker has loaded the portal, move everything it holds (modules, the
    application, SQLAlchemy's and Babel's tables) out of the garbage collector's sight: a full
    collection then no longer walks those few hundred thousand objects, which showed as 20 to
    30 ms pauses in the slowest percent of requests."""
    gc.freeze()
