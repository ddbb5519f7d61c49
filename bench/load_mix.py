"""Load test: a realistic mix of the three kinds of users against gunicorn, then a check that
every submission was saved once.

    .venv/bin/python bench/load_mix.py [--users 32] [--duration 60] [--filings 20000]
                                       [--databases sqlite,postgresql] [--json FILE]

For each database it builds the benchmark database (bench/queue_bench.prepare: the demo plus
--filings filings), serves the portal with the benchmark's gunicorn settings (2 sync workers)
and runs --users virtual users for --duration seconds, each in its own thread with its own
session, one request after another without pauses:

- a third are the public (no sign-in): the enterprise search, an enterprise's page, the
  published results, the return-window helper;
- a third are enterprise staff (demo-enterprise, demo-staff, demo-enterprise2): their filings,
  home and meetings, a filing's page, and now and then a new outlet registered and submitted
  (the form's GET, its POST, the submission's POST, each with its CSRF token);
- a third are regulators (demo-regulator, demo-regulator2): the review queue with filters, the
  dashboard, the enterprises, a filing's page.

It reports requests per second, p50 and p99 for each kind and overall, and every error (an
unexpected status or a failed connection). Afterwards it counts the outlets the run created:
each submission that was answered with success must be in the database exactly once, as a
submitted filing, and nothing else may have been created. Exit status 1 on any error.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.queue_bench import DEFAULT_PG, PAGE_SIZE, gunicorn, log, pg_reset, prepare  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
MARK = "负载测试网点"  # the name of every outlet this run registers (fill.py uses 压测网点)


class Client:
    """One virtual user: its cookies, and one connection per request (sync workers close)."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.own: list[int] = []  # filing ids on the user's first filings page

    def request(self, method: str, path: str, form: dict | None = None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"User-Agent": "portal-load-mix", "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", "replace")
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return answer.status, answer.headers.get("Location", ""), text
        finally:
            conn.close()

    def token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        match = TOKEN.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path} ({status})")
        return match.group(1) or match.group(2)

    def sign_in(self, username: str, password: str) -> None:
        token = self.token("/auth/login")
        status, _, _ = self.request("POST", "/auth/login", {
            "csrf_token": token, "username": username, "password": password, "next": ""})
        if status != 302:
            raise RuntimeError(f"signing in {username}: {status}")


class Recorder:
    """Latencies and errors per kind of user, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = []
        self.submitted = []  # filing ids whose submission was answered with success

    def timed(self, kind: str, client: Client, method: str, path: str, form=None,
              expect=(200,)):
        started = time.perf_counter()
        try:
            status, location, body = client.request(method, path, form)
        except OSError as error:
            with self.lock:
                self.errors.append(f"{kind} {method} {path}: {error}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[kind].append(elapsed)
            if status not in expect:
                self.errors.append(f"{kind} {method} {path}: HTTP {status}")
                return None
        return status, location, body


def public_user(rec: Recorder, client: Client, rng: random.Random, facts: dict) -> None:
    choice = rng.random()
    if choice < 0.35:
        rec.timed("public", client, "GET", "/public/enterprises?q=" + urllib.parse.quote(
            rng.choice(["晋康", "太行", "压测企业", "9114"])))
    elif choice < 0.65:
        rec.timed("public", client, "GET", f"/public/enterprises/{rng.choice(facts['ids'])}")
    elif choice < 0.85:
        rec.timed("public", client, "GET", "/public/checks")
    else:
        rec.timed("public", client, "GET", "/public/returns?purchased_on=2026-11-0"
                  f"{rng.randint(1, 9)}&requested_on=2026-11-2{rng.randint(0, 9)}")


def enterprise_user(rec: Recorder, client: Client, rng: random.Random, facts: dict,
                    name: str, counter) -> None:
    choice = rng.random()
    if choice < 0.08:
        register_outlet(rec, client, name, counter)
    elif choice < 0.35:
        rec.timed("enterprise", client, "GET", rng.choice(["/filings/",
                                                           "/filings/?status=approved"]))
    elif choice < 0.55:
        rec.timed("enterprise", client, "GET", "/enterprise/")
    elif choice < 0.75:
        rec.timed("enterprise", client, "GET", "/enterprise/meetings/")
    elif client.own:
        rec.timed("enterprise", client, "GET", f"/filings/{rng.choice(client.own)}")


def register_outlet(rec: Recorder, client: Client, name: str, counter) -> None:
    """GET the form, POST a new outlet, then submit it: three requests, each timed."""
    answer = rec.timed("enterprise", client, "GET", "/enterprise/outlets/new")
    if answer is None:
        return
    page = answer[2]
    match = TOKEN.search(page)
    district = re.search(r'<select[^>]*name="region_code"[^>]*>.*?<option[^>]*value="(\d{6})"',
                         page, re.S)
    if not match or not district:
        rec.errors.append("enterprise: the outlet form has no token or district")
        return
    token = match.group(1) or match.group(2)
    n = next(counter)
    answer = rec.timed("enterprise", client, "POST", "/enterprise/outlets/new", {
        "csrf_token": token, "name": f"{MARK}-{name}-{n}", "premises_type": "shop",
        "region_code": district.group(1), "address": f"压测路{n}号",
        "person_in_charge": "压测员", "phone": "0351-5550000",
        "opening_hours": "9:00-18:00", "proof_document_id": "", "version": ""}, expect=(302,))
    if answer is None:
        return
    filing = re.search(r"/filings/(\d+)", answer[1])
    if not filing:
        rec.errors.append(f"enterprise: the new outlet went to {answer[1]}")
        return
    filing_id = int(filing.group(1))
    answer = rec.timed("enterprise", client, "GET", f"/filings/{filing_id}")
    if answer is None:
        return
    version = re.search(rf'action="/filings/{filing_id}/submit">.*?name="version" value="(\d+)"',
                        answer[2], re.S)
    if not version:
        rec.errors.append(f"enterprise: no submit form on filing {filing_id}")
        return
    done = rec.timed("enterprise", client, "POST", f"/filings/{filing_id}/submit",
                     {"csrf_token": token, "version": version.group(1)}, expect=(302,))
    if done is not None:
        with rec.lock:
            rec.submitted.append(filing_id)


def regulator_user(rec: Recorder, client: Client, rng: random.Random, facts: dict) -> None:
    choice = rng.random()
    if choice < 0.45:
        rec.timed("regulator", client, "GET", rng.choice([
            "/review/queue", "/review/queue?kind=meeting&status=submitted",
            "/review/queue?status=all&warnings=1", "/review/queue?status=approved&kind=outlet"]))
    elif choice < 0.6:
        rec.timed("regulator", client, "GET", "/review/")
    elif choice < 0.75:
        rec.timed("regulator", client, "GET", "/review/enterprises")
    else:
        rec.timed("regulator", client, "GET", f"/filings/{rng.choice(facts['area_filings'])}",
                  expect=(200, 404))  # demo-regulator2 may open a filing outside its area


def _counter(start=0):
    lock, value = threading.Lock(), [start]

    def next_value():
        with lock:
            value[0] += 1
            return value[0]

    class It:
        def __next__(self):
            return next_value()

    return It()


def run(base: str, facts: dict, users: int, duration: float, password: str) -> Recorder:
    """Sign every virtual user in, then let them all work for *duration* seconds (each does
    at least one step, so every kind is measured even in a short run)."""
    rec = Recorder()
    counter = _counter()
    accounts = {"enterprise": ["demo-enterprise", "demo-staff", "demo-enterprise2"],
                "regulator": ["demo-regulator", "demo-regulator2"]}
    team = []
    for n in range(users):
        kind = ("public", "enterprise", "regulator")[n % 3]
        client = Client(base)
        if kind != "public":
            client.sign_in(accounts[kind][n // 3 % len(accounts[kind])], password)
        if kind == "enterprise":
            _, _, page = client.request("GET", "/filings/")
            client.own = [int(i) for i in re.findall(r'href="/filings/(\d+)"', page)]
        team.append((n, kind, client))
    start = threading.Event()

    def user(index: int, kind: str, client: Client) -> None:
        rng = random.Random(index)  # noqa: S311  (a load pattern, not a secret)
        start.wait()
        while True:
            if kind == "public":
                public_user(rec, client, rng, facts)
            elif kind == "enterprise":
                enterprise_user(rec, client, rng, facts, f"{index}", counter)
            else:
                regulator_user(rec, client, rng, facts)
            if time.monotonic() >= stop:
                break

    threads = [threading.Thread(target=user, args=member, daemon=True) for member in team]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    stop = started + duration
    start.set()
    for thread in threads:
        thread.join(duration + 120)
    rec.elapsed = time.monotonic() - started
    return rec


def check_submissions(url: str, rec: Recorder) -> list[str]:
    """Every answered submission is one submitted outlet; no outlet of the run is missing or
    doubled, and none was created that was not answered."""
    from sqlalchemy import select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Filing, Outlet
    from portal.rules.workflow import Status

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        rows = db.session.execute(select(Filing.id, Filing.status, Outlet.name).join(
            Outlet, Outlet.filing_id == Filing.id).where(Outlet.name.like(MARK + "%"))).all()
        db.engine.dispose()
    problems = []
    names = [row.name for row in rows]
    if len(names) != len(set(names)):
        problems.append("an outlet name was saved twice")
    submitted = {row.id for row in rows if row.status is Status.SUBMITTED}
    if submitted != set(rec.submitted):
        problems.append(f"{len(rec.submitted)} submissions answered, {len(submitted)} "
                        "submitted outlets saved")
    return problems


def summarise(rec: Recorder) -> dict:
    def stats(times):
        if not times:
            return {"requests": 0, "rps": 0, "p50_ms": 0, "p99_ms": 0}
        ordered = sorted(times)
        return {"requests": len(times), "rps": len(times) / rec.elapsed,
                "p50_ms": statistics.median(ordered) * 1000,
                "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000}

    every = [t for times in rec.times.values() for t in times]
    return {"all": stats(every), **{kind: stats(times) for kind, times in rec.times.items()},
            "errors": len(rec.errors), "submissions": len(rec.submitted)}


def run_database(label: str, url: str, args) -> dict:
    from bench.fill import PASSWORD

    folder = Path(tempfile.mkdtemp(prefix="portal-load-mix-"))
    try:
        (folder / "config.py").write_text(
            f"PAGE_SIZE = {PAGE_SIZE}\nSECRET_KEY = 'bench-only'\n"
            "PASSWORD_HASH_METHOD = 'pbkdf2:sha256:1000'\n")
        os.environ["PORTAL_INSTANCE_PATH"] = str(folder)
        if url.startswith("sqlite"):
            url = f"sqlite:///{folder}/bench.sqlite3"
        log(f"== {label}: {url}")
        facts = prepare(url, folder, args.filings)
        facts.update(_more_facts(url))
        env = {"PORTAL_INSTANCE_PATH": str(folder), "DATABASE_URL": url}
        with gunicorn("portal:create_app()", env, args.workers) as base:
            rec = run(base, facts, args.users, args.duration, PASSWORD)
        result = {"database": label, **summarise(rec), "error_list": rec.errors[:20]}
        result["submission_problems"] = check_submissions(url, rec)
        for kind in ("all", "public", "enterprise", "regulator"):
            s = result.get(kind) or {"requests": 0, "rps": 0, "p50_ms": 0, "p99_ms": 0}
            log(f"  {kind:10} {s['requests']:7,} requests  {s['rps']:7.1f} req/s  "
                f"p50 {s['p50_ms']:6.1f} ms  p99 {s['p99_ms']:6.1f} ms")
        log(f"  errors {result['errors']}; {result['submissions']} outlets submitted; "
            f"submission check: {result['submission_problems'] or 'all saved once'}")
        for line in rec.errors[:10]:
            log(f"    {line}")
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _more_facts(url: str) -> dict:
    """Enterprise ids for the public pages and filings in demo-regulator's area."""
    from sqlalchemy import select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Enterprise, Filing
    from portal.rules.workflow import Status

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ids = db.session.scalars(select(Enterprise.id).order_by(Enterprise.id).limit(20)).all()
        area = db.session.scalars(select(Filing.id).where(
            Filing.region_code.like("1405%"), Filing.status != Status.DRAFT)
            .order_by(Filing.id).limit(50)).all()
        db.engine.dispose()
    return {"ids": ids, "area_filings": area}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--filings", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    runs = []
    for label in args.databases.split(","):
        if label == "sqlite":
            runs.append(run_database("sqlite", "sqlite://", args))
        elif label == "postgresql":
            url = pg_reset(args.pg_url)
            if url:
                runs.append(run_database("postgresql", url, args))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2, ensure_ascii=False))
    failed = any(r["errors"] or r["submission_problems"] for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
