"""gunicorn settings for the benchmark: the production settings without the access log.

2 sync workers on a 2-core machine (BENCH_WORKERS to change it); bind from BENCH_BIND.
"""

import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8701")
workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = "sync"
backlog = 2048
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"
