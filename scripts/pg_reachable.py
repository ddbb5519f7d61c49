"""Exit 0 when the PostgreSQL server in argv[1] accepts a connection within 3 seconds."""

import sys

import psycopg


def main(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return 0
    except psycopg.Error as error:
        print(f"PostgreSQL not reachable at {url}: {error}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
