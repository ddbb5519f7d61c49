"""Both languages: the locale chain, and catalogues that are complete and well-formed."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.extensions import db
from portal.models import User

from .factories import USERNAMES

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ["zh_Hans_CN", "en"]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def extracted_ids() -> set[str]:
    """Every msgid the source marks for translation, as `make translations` extracts it."""
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "portal"), METHODS, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize("locale", CATALOGUES)
def test_catalogue_translates_every_string_in_the_source(locale):
    with open(ROOT / f"portal/translations/{locale}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = []
    for msgid in sorted(extracted_ids()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(msgid)
            continue
        string = message.string if isinstance(message.string, str) else message.string[0]
        assert placeholders(string) == placeholders(msgid), f"placeholders differ: {msgid!r}"
    assert not missing, f"{locale}: untranslated or fuzzy: {missing}"


def test_no_fstring_or_concatenation_inside_gettext():
    offenders = []
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS
                and node.args
                and not isinstance(node.args[0], ast.Constant)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_chinese_is_the_default(app, client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "直销合规监管平台" in page


def test_lang_parameter_switches_and_is_remembered(app, client):
    page = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Direct-Selling Compliance Portal" in page
    assert "Sign in" in client.get("/auth/login").get_data(as_text=True)  # from the cookie
    assert "登录" in client.get("/auth/login?lang=zh").get_data(as_text=True)
    assert "登录" in client.get("/auth/login").get_data(as_text=True)


def test_accept_language_is_used_when_nothing_else_says(app, client):
    page = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in page.get_data(as_text=True)
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "登录" in page.get_data(as_text=True)


def test_users_saved_choice_wins_over_the_browser(world, app, client, login):
    login(USERNAMES["regulator"])
    client.get("/review/?lang=en")
    with app.app_context():
        assert db.session.get(User, world.users["regulator"]).locale == "en"
    fresh = app.test_client()
    fresh.post("/auth/login", data={"username": "regulator", "password": "Correct-horse-42"})
    page = fresh.get("/review/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Jurisdiction" in page


def test_error_pages_are_translated(app, client):
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    assert "Not found" in client.get("/no-such-page?lang=en").get_data(as_text=True)


def test_times_are_shown_in_china_standard_time(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_datetime

    with app.test_request_context("/"):
        with force_locale("en"):
            shown = format_datetime(datetime(2026, 1, 1, 16, 30, tzinfo=UTC), "HH:mm")
    assert shown == "00:30"


def test_fast_gettext_follows_the_request_locale_and_force_locale(app):
    """portal.i18n.gettext keeps the catalogue beside the locale it was found for: switching
    with force_locale (e-mails, PDFs in the reader's language) and back changes it."""
    from flask_babel import force_locale

    from portal.i18n import gettext, lazy_gettext

    label = lazy_gettext("Review queue")
    with app.test_request_context("/?lang=zh"):
        assert gettext("Review queue") == "审查队列" == str(label)
        with force_locale("en"):
            assert gettext("Review queue") == "Review queue" == str(label)
        assert gettext("Review queue") == "审查队列"
        assert gettext("Rule warnings: %(n)s", n=3) == "规则提示：3 条"
    with app.test_request_context("/?lang=en"):
        assert gettext("Review queue") == "Review queue"
    assert gettext("Review queue") == "Review queue"  # no application: the message id


TEMPLATE_CALLS = [
    "{{ _('Review queue') }}",
    "{{ _('Rule warnings: %(n)s', n=3) }}",
    "{{ _('Rule warnings: %(n)s', n=markup) }}",
    "{{ _('Rule warnings: %(n)s', n=evil) }}",
    "{{ _('100%% sure') }}",
    "{{ gettext('Review queue') }}",
    "{{ ngettext('%(num)s file', '%(num)s files', 1) }}",
    "{{ ngettext('%(num)s file', '%(num)s files', 2, num=evil) }}",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("source", TEMPLATE_CALLS)
def test_template_gettext_writes_what_jinjas_newstyle_gettext_writes(app, lang, autoescape,
                                                                     source):
    """Templates call portal.i18n's one-call gettext; it must write what Jinja's own newstyle
    gettext writes: the translation as markup, its variables escaped, ``%%`` a percent sign."""
    from jinja2 import Environment
    from markupsafe import Markup

    from portal.i18n import _catalogue

    variables = {"evil": "<script>&", "markup": Markup("<b>3</b>")}
    with app.test_request_context(f"/?lang={lang}"):
        jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)  # noqa: S701
        jinja.install_gettext_callables(lambda s: _catalogue().gettext(s),
                                        lambda s, p, n: _catalogue().ngettext(s, p, n),
                                        newstyle=True)
        ours = app.jinja_env.overlay(autoescape=autoescape)
        expected = jinja.from_string(source).render(variables)
        assert ours.from_string(source).render(variables) == expected
        assert "<script>" not in expected or not autoescape


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_integers_are_formatted_as_babel_formats_them(app, lang):
    import flask_babel

    from portal.i18n import format_number

    numbers = [0, 7, -7, 999, 1000, -1000, 12345, 999999, 1000000, -123456789, 10**15 + 3]
    with app.test_request_context(f"/?lang={lang}"):
        for n in numbers:
            assert format_number(n) == flask_babel.format_number(n), n
        assert format_number(1234.5) == flask_babel.format_number(1234.5)


def test_url_with_args_writes_what_urlencode_writes(app):
    """url_with_args encodes the request's own arguments once per request; the URLs are the
    ones urlencode(doseq=True) made before."""
    from urllib.parse import urlencode

    from flask import request

    from portal.i18n import url_with_args

    def reference(**changes):
        args = request.args.to_dict(flat=False)
        args.update({key: [value] for key, value in changes.items()})
        return f"{request.path}?" + urlencode(
            {key: value for key, value in args.items() if value != [None]}, doseq=True)

    changes = [{}, {"a": None}, {"status": "all", "after": None, "before": None}, {"new": 5},
               {"b": "中 &="}, {"lang": "zh"}]
    for query in ["", "a=1&b=2&a=3", "q=%E4%B8%AD+x&status=all&after=1-2", "x=&y=%26%3D"]:
        with app.test_request_context("/review/queue?" + query):
            for change in changes:
                assert url_with_args(**change) == reference(**change), (query, change)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", ["short", "medium"])
def test_the_list_date_formatter_writes_what_babel_writes(app, lang, width):
    from datetime import UTC, datetime, timedelta

    import flask_babel

    from portal.i18n import _compiled_datetime_format, datetime_formatter

    start = datetime(2026, 1, 1, 15, 59, tzinfo=UTC)
    moments = [start + timedelta(hours=7 * n, minutes=13 * n) for n in range(300)]
    moments += [datetime(1999, 12, 31, 16, 0, tzinfo=UTC), datetime(2905, 3, 1, 4, 5, tzinfo=UTC)]
    with app.test_request_context(f"/?lang={lang}"):
        if width == "short" or lang == "zh":  # written by the fast path, not handed to Babel
            assert _compiled_datetime_format(str(flask_babel.get_locale()), width) is not None
        fast = datetime_formatter(width)
        for moment in moments:
            assert fast(moment) == flask_babel.format_datetime(moment, width), moment


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("threshold", [1.0, 0.85])
def test_the_list_duration_formatter_writes_what_babel_writes(app, lang, threshold):
    from datetime import timedelta

    import flask_babel

    from portal.i18n import timedelta_formatter

    # From none through seconds, minutes, hours and days (the boundaries where rounding moves
    # to the next unit among them) to weeks, months and years, and a negative one.
    deltas = [timedelta(seconds=s) for s in range(0, 200)]
    deltas += [timedelta(seconds=37 * n ** 2) for n in range(1, 2000)]
    deltas += [timedelta(hours=23, minutes=m) for m in range(0, 60, 5)]
    deltas += [timedelta(days=400), timedelta(days=-3, hours=-5), timedelta(microseconds=400)]
    with app.test_request_context(f"/?lang={lang}"):
        fast = timedelta_formatter(threshold)
        for delta in deltas:
            assert fast(delta) == flask_babel.format_timedelta(delta, threshold=threshold), delta


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", ["short", "medium", "long", "full"])
def test_the_list_day_formatter_writes_what_babel_writes(app, lang, width):
    from datetime import date, timedelta

    import flask_babel

    from portal.i18n import _compiled_date_format, date_formatter

    days = [date(2025, 12, 25) + timedelta(days=17 * n) for n in range(60)]  # every month
    days += [date(999, 1, 5), date(2030, 10, 1)]
    with app.test_request_context(f"/?lang={lang}"):
        if width in ("short", "medium", "long"):  # the fast path writes these (not "full")
            assert _compiled_date_format(str(flask_babel.get_locale()), width) is not None
        fast = date_formatter(width)
        for day in days:
            assert fast(day) == flask_babel.format_date(day, width), (day, width)


def test_templates_url_for_keeps_urls_per_script_root(app):
    """Templates' url_for keeps the URLs of argument-less endpoints and static files per
    script root: each kept URL is what Flask builds, under whatever root the request has."""
    from flask import render_template_string, url_for

    source = ("{{ url_for('core.index') }}|{{ url_for('static', filename='css/portal.css') }}"
              "|{{ url_for('filings.show', filing_id=7) }}")
    for root in ["", "/portal", "", "/other"]:
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            expected = "|".join([url_for("core.index"),
                                 url_for("static", filename="css/portal.css"),
                                 url_for("filings.show", filing_id=7)])
            assert expected.startswith(root + "/")
            assert render_template_string(source) == expected
            assert render_template_string(source) == expected  # kept, still right


@pytest.mark.parametrize(("lang", "separator", "colon"), [("zh", "、", "："), ("en", ", ", ": ")])
def test_enumerations_and_labels_are_punctuated_for_the_language(app, lang, separator, colon):
    """Chinese pages join names with 、 and end labels with the full-width colon; English ones
    with a comma and a colon (the templates ask list_separator() and label_colon())."""
    with app.test_request_context(f"/?lang={lang}"):
        rendered = app.jinja_env.from_string(
            "{{ ['甲', '乙']|join(list_separator()) }}|{{ _('Reasons') }}{{ label_colon() }}x"
        ).render()
    names, label = rendered.split("|")
    assert names == f"甲{separator}乙"
    assert label == ("理由" if lang == "zh" else "Reasons") + colon + "x"


def test_no_template_writes_chinese_punctuation_into_english_pages():
    """Enumerations and labels in templates go through list_separator() and label_colon()."""
    templates = Path(__file__).resolve().parents[1] / "portal" / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for chinese_only in ("{% endif %}、", "%}、{%", "join('、')"):
            assert chinese_only not in text, path
        assert not re.search(r"_\('[^']*'\) \}\}:[ <]", text), path
        # Outside comments and the messages themselves, no Chinese punctuation at all, and no
        # English colon after a value (a label's colon is label_colon()).
        bare = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
        bare = re.sub(r"""_\((?:'[^']*'|"[^"]*")""", "", bare)
        assert not re.search("[、；：，]", bare), path
        assert not re.search(r"\}\}: ", bare), path


def test_no_python_joins_with_chinese_punctuation_for_any_language():
    """Python code joins names and clauses with list_separator() and clause_separator();
    only the texts of Chinese documents (a notice's facts, the demo's policy texts) are
    written in Chinese alone."""
    portal = Path(__file__).resolve().parents[1] / "portal"
    for path in portal.rglob("*.py"):
        if path.name.startswith("demo_"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["'][、；，]["']\.join""", text), path


def test_no_translation_is_called_inside_an_f_string():
    """Babel does not read inside f-strings (Python 3.11 tokenizes one as a single string), so
    a ``_("…")`` there never reaches the catalogues and shows in English on Chinese pages."""
    import io
    import tokenize
    from pathlib import Path

    call = re.compile(r"\{[^{}]*\b(?:_|_l|gettext|lazy_gettext|ngettext)\(")
    found = []
    for path in sorted(Path("portal").rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            prefix = token.string[:3].lower()
            if (token.type == tokenize.STRING and "f" in prefix.split("'")[0].split('"')[0]
                    and call.search(token.string)):
                found.append(f"{path}:{token.start[0]}")
    assert not found, found


def test_the_queue_tabs_are_labelled_in_chinese(app, world):
    from .review.conftest import signed_in

    page = signed_in(app, "regulator").get("/review/queue?lang=zh").get_data(as_text=True)
    assert 'aria-label="各状态数量"' in page and "Counts per status" not in page
