"""Charts drawn on the server: the geometry of inline SVG bar charts, nothing else.

Pure functions (no request, no database) that lay out vertical bars — stacked or grouped,
one bar or one group per category — and horizontal bars (counts or percentages) in SVG
user units. ``templates/macros/charts.html`` draws them; the bureau dashboard and the annual
report (its page and its PDF) both use them. Colours are SVG presentation attributes, not
style attributes, so the Content-Security-Policy (no inline style) allows them, and
WeasyPrint draws them in PDFs as the browser does. Every chart is shown next to a table with
the same numbers; the SVG is a picture of the table, never the only place a number is.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from babel.numbers import format_decimal
from flask_babel import get_locale

# Colours for the series (Bootstrap's palette; readable on white and in print).
GREEN, ORANGE, RED, BLUE, GREY, TEAL, INDIGO = (
    "#198754", "#fd7e14", "#dc3545", "#0d6efd", "#adb5bd", "#20c997", "#6610f2")


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … that is at least *value* (at least 5)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 5):
                return step * factor
        step *= 10


@lru_cache(maxsize=2048)
def _formatted(locale: str, value: float) -> str:
    return format_decimal(value, locale=locale)


def number(value: float) -> str:
    """*value* formatted by Babel for the request's locale (cached: charts repeat numbers)."""
    return _formatted(str(get_locale()), value)


def text_width(text: str, size: float = 12) -> float:
    """A rough width of *text* in SVG units: wide (CJK) characters count double."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in str(text))


def shorten(text: str, width: float, size: float = 12) -> str:
    """*text*, cut with an ellipsis so that it fits in *width* units."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Series:
    """One kind of value in a chart (e.g. "approved"), with its legend label and colour."""

    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Segment:
    """One rectangle: a series' value in a category."""

    x: float
    y: float
    width: float
    height: float
    series: Series
    value: float


@dataclass
class Column:
    """One category on the x axis (a week, a month, a filing kind) and its rectangles."""

    label: str  # under the bar
    title: str  # the long name, in the tooltip
    centre: float
    segments: list
    total: float


@dataclass
class LegendEntry:
    x: float
    series: Series


@dataclass
class BarChart:
    """Geometry of a vertical bar chart (drawn by ``macros/charts.html``, ``bar_chart``)."""

    width: int
    height: int
    top: int
    left: int
    bottom: int
    maximum: int
    series: list
    columns: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (value, y)
    legend: list = field(default_factory=list)

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def label_y(self) -> int:
        return self.height - 10


def _legend(series, left: float, gap: float = 16) -> list:
    entries, x = [], left
    for one in series:
        entries.append(LegendEntry(round(x, 1), one))
        x += 14 + text_width(one.label) + gap
    return entries


def bar_chart(categories, series, *, grouped=False, width=560, height=240, left=40, top=12,
              bottom=28, legend=True) -> BarChart:
    """Lay out one bar per category, its series stacked from the bottom up (or side by side
    when *grouped*).

    *categories* are ``(label, title, {series key: value})``; *series* the :class:`Series` in
    stacking order. Empty values draw nothing; the scale ends at a round number.
    """
    series = list(series)
    if legend and series:
        top += 22
    values = [(label, title, {s.key: counts.get(s.key, 0) or 0 for s in series})
              for label, title, counts in categories]
    if grouped:
        highest = max((max(v.values(), default=0) for _, _, v in values), default=0)
    else:
        highest = max((sum(v.values()) for _, _, v in values), default=0)
    chart = BarChart(width, height, top, left, bottom, nice_ceiling(highest), series)
    if legend and series:
        chart.legend = _legend(series, left)
    plot_height = height - top - bottom
    scale = plot_height / chart.maximum
    for value in (0, chart.maximum // 2, chart.maximum):
        chart.ticks.append((value, round(chart.baseline - value * scale, 1)))
    slot = (width - left) / max(len(values), 1)
    bar_width = slot * (0.8 if grouped else 0.6)
    for n, (label, title, counts) in enumerate(values):
        x = left + slot * n + (slot - bar_width) / 2
        y = chart.baseline
        segments = []
        each = bar_width / max(len(series), 1)
        for i, one in enumerate(series):
            count = counts[one.key]
            if not count:
                continue
            h = count * scale
            if grouped:
                segments.append(Segment(round(x + each * i, 1), round(chart.baseline - h, 1),
                                        round(each * 0.9, 1), round(h, 1), one, count))
            else:
                y -= h
                segments.append(Segment(round(x, 1), round(y, 1), round(bar_width, 1),
                                        round(h, 1), one, count))
        chart.columns.append(Column(label, title, round(x + bar_width / 2, 1), segments,
                                    sum(counts.values())))
    return chart


@dataclass(frozen=True)
class Row:
    """One horizontal bar: its label, where it lies, its length and the text after it."""

    label: str
    title: str
    y: float
    length: float
    text: str
    value: float | None
    colour: str | None = None  # None: the chart's colour


@dataclass
class HBarChart:
    """Geometry of horizontal bars (drawn by ``macros/charts.html``, ``hbar_chart``)."""

    width: int
    height: int
    left: int  # where the bars start (labels are to the left of it)
    plot_width: float
    bar_height: float
    colour: str
    rows: list = field(default_factory=list)
    track: bool = False  # draw the full length faintly behind each bar (percentages)


def horizontal_bars(rows, *, colour=BLUE, width=560, label_width=170, row_height=28,
                    percent=False, maximum=None) -> HBarChart:
    """Lay out one horizontal bar per row.

    *rows* are ``(label, value, text)`` or ``(label, value, text, colour)``: *value* a count,
    or with *percent* a fraction from 0 to 1 (None: nothing to show, e.g. no verdicts);
    *text* is written after the bar (the formatted number). Counts are scaled to a round
    maximum, fractions to 100 %.
    """
    rows = [(*row, None) if len(row) == 3 else tuple(row) for row in rows]
    top = 6
    text_room = 70
    plot_width = width - label_width - text_room
    if percent:
        scale_to = 1
    else:
        scale_to = maximum or nice_ceiling(max((row[1] or 0 for row in rows), default=0))
    chart = HBarChart(width, top * 2 + row_height * max(len(rows), 1), label_width,
                      plot_width, round(row_height * 0.62, 1), colour, track=percent)
    for n, (label, value, text, row_colour) in enumerate(rows):
        length = 0 if value is None else plot_width * min(value / scale_to, 1)
        chart.rows.append(Row(shorten(label, label_width - 8), str(label),
                              round(top + row_height * n, 1), round(length, 1), text, value,
                              row_colour))
    return chart


def init_app(app) -> None:
    """Give the chart macros their number formatter."""
    app.jinja_env.globals.update(chart_number=number)
