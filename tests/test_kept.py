"""portal.kept: values each process keeps, shared by the threads of the development server."""

import sys
import threading

from portal import kept


def test_threads_share_the_store_without_errors(app, monkeypatch):
    """`flask run` serves requests in threads: one thread's clean-up must not trip over
    another's insertions and removals (a dict changed during iteration, a key already gone).
    With the clean-up iterating the store itself this failed every time (checked)."""
    monkeypatch.setattr(kept, "MOST_KEPT", 8)
    errors = []

    def work(offset):
        try:
            with app.app_context():
                for n in range(3000):
                    key = (offset * 7 + n) % 40
                    assert kept.kept("threads_test", key, 0.001, lambda k=key: k * 2) == key * 2
        except Exception as error:  # noqa: BLE001  (any error fails the test below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch every few µs, not every 5 ms: races show
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
        app.extensions.pop("portal.kept.threads_test", None)
    assert errors == []
