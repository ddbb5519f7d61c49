"""The bare Flask app the queue benchmark compares with: one route returning a small string.

    gunicorn -c bench/gunicorn_bench.py bench.bare_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, bench!"
