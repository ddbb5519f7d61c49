#!/bin/sh
# `make run`: the task-queue worker (e-mail, daily reminders) in the background, the web
# server in the foreground. Stopping the server (Ctrl-C) stops the worker too.
# Usage: scripts/run.sh FLASK HOST PORT
set -u
FLASK="$1"
HOST="$2"
PORT="$3"

"$FLASK" --app portal worker &
WORKER=$!
stop_worker() {
  if kill -0 "$WORKER" 2>/dev/null; then
    kill -TERM "$WORKER" 2>/dev/null
    wait "$WORKER" 2>/dev/null
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

"$FLASK" --app portal run --host "$HOST" --port "$PORT"
