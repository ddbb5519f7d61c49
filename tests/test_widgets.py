"""The portal's form drawing: its select widgets and attribute writer write the same markup as
WTForms' own, faster; render_field draws a field with its label, help and errors."""

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Form,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length

from portal.i18n import lazy_gettext
from portal.widgets import (
    ChoiceList,
    ManyChoicesField,
    Select,
    form_field,
    html_params,
    wtforms_html_params,
)

CHOICES = [SelectChoice("1", "<甲>&"), SelectChoice("2", "乙"), SelectChoice("3", "")]
MANY = [SelectChoice(1, "a"), SelectChoice(2, "b")]


class Both(Form):
    ours = SelectField(choices=CHOICES, widget=Select())
    theirs = SelectField(choices=CHOICES)
    many_ours = SelectMultipleField(choices=MANY, coerce=int,
                                    widget=Select(multiple=True))
    many_theirs = SelectMultipleField(choices=MANY, coerce=int)


def test_the_fast_select_writes_what_wtforms_writes():
    form = Both(data={"ours": "2", "theirs": "2", "many_ours": [2], "many_theirs": [2]})
    assert form.ours(class_="x") == form.theirs(class_="x").replace("theirs", "ours")
    assert form.many_ours() == form.many_theirs().replace("many_theirs", "many_ours")
    assert "&lt;甲&gt;&amp;" in form.ours() and '<option selected value="2">乙</option>' in (
        form.ours())


# ---- the attribute writer ---------------------------------------------------------------------

ATTRIBUTES = [
    {},
    {"name": "title", "id": "title", "class_": "form-control is-invalid", "value": ""},
    {"value": "<a href=\"x\">'&'</a>", "data_role": "t", "aria_label": "第 1 项"},
    {"checked": True, "disabled": False, "for_": "x", "maxlength": 200, "step": 0.5},
    {"value": Markup('<b title="q">bold</b>'), "title": None},
    {"title": lazy_gettext("Trainers"), "aria-describedby": "a-help a-error"},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_the_attribute_writer_writes_what_wtforms_writes(attributes):
    ours = html_params(**attributes)
    assert isinstance(ours, Markup)
    assert ours == wtforms_html_params(**attributes)


def test_every_widget_and_label_writes_with_the_fast_writer(app):
    """The factory installed it: inputs, buttons, selects and labels all use it."""
    import wtforms.widgets.core

    from portal import widgets

    assert wtforms.widgets.core.html_params is widgets.html_params
    assert wtforms.widgets.html_params is widgets.html_params
    assert wtforms.widgets.Input.html_params is widgets.html_params
    assert wtforms.widgets.Button.html_params is widgets.html_params


# ---- a select of many choices ------------------------------------------------------------------

PAIRS = [(3, "张三 (已通过)"), (1, "<李四> & 'co'"), (2, "")]


class Many(Form):
    ours = ManyChoicesField(coerce=int)
    theirs = SelectMultipleField(coerce=int, widget=Select(multiple=True))


def many_form(**kwargs):
    form = Many(**kwargs)
    form.ours.choices = PAIRS
    form.theirs.choices = [SelectChoice(value, label) for value, label in PAIRS]
    return form


def test_the_many_choices_select_writes_what_the_select_writes():
    for data in ({}, {"ours": [1, 2], "theirs": [1, 2]}):
        form = many_form(data=data)
        assert form.ours(class_="form-select") == form.theirs(class_="form-select").replace(
            "theirs", "ours")
    assert '<option selected value="1">&lt;李四&gt; &amp; &#39;co&#39;</option>' in form.ours()
    assert [choice.selected for choice in form.ours.iter_choices()] == [False, True, True]


def test_the_many_choices_select_accepts_only_its_choices():
    accepted = many_form(formdata=MultiDict([("ours", "3"), ("ours", "1")]))
    assert accepted.ours.validate(accepted) and accepted.ours.data == [3, 1]
    refused = many_form(formdata=MultiDict([("ours", "3"), ("ours", "9"), ("theirs", "3"),
                                             ("theirs", "9")]))
    assert not refused.ours.validate(refused) and not refused.theirs.validate(refused)
    assert refused.ours.errors == refused.theirs.errors == [
        "'9' is not a valid choice for this field."]
    # What was chosen stays chosen when the form comes back with its errors.
    assert '<option selected value="3">' in refused.ours()


# ---- a field with its label, help and errors ---------------------------------------------------

class Fields(Form):
    name = StringField("Name <b>", validators=[DataRequired(), Length(max=5)],
                       description=lazy_gettext("Five letters at most"))
    region = SelectField("Region", choices=[SelectChoice("1", "One")])
    agree = BooleanField("I agree")
    size = RadioField("Size", choices=[SelectChoice("s", "Small"), SelectChoice("l", "Large")])


def test_a_field_is_drawn_with_its_label_star_help_and_errors(app):
    with app.test_request_context("/?lang=en"):
        form = Fields(formdata=MultiDict({"name": "far too long", "size": "l"}))
        form.validate()
        html = form_field(form.name, help=None)
        assert ('<label class="form-label" for="name">Name &lt;b&gt;</label> '
                '<span class="text-danger" aria-hidden="true">*</span>') in html
        assert ('<input aria-describedby="name-help name-error" aria-invalid="true" '
                'aria-required="true" class="form-control is-invalid" id="name" maxlength="5" '
                'name="name" required type="text" value="far too long">') in html
        assert ('<div class="invalid-feedback d-block" id="name-error">Field cannot be longer '
                'than 5 characters.</div>') in html
        assert '<div class="form-text" id="name-help">Five letters at most</div>' in html
        assert form_field(form.name, help=Markup("<i>h</i>")).count("<i>h</i>") == 1
        region = form_field(Fields().region)
        assert '<select class="form-select" id="region" name="region">' in region
        assert "form-text" not in region and "aria-describedby" not in region
        agree = form_field(form.agree)
        assert '<div class="form-check">' in agree and 'class="form-check-label"' in agree
        size = form_field(form.size)
        assert '<legend class="form-label fs-6">Size</legend>' in size
        assert size.count('class="form-check-input"') == 2 and 'checked' in size


def test_the_render_field_macro_draws_with_form_field(app):
    with app.test_request_context("/"):
        form = Fields()
        macro = app.jinja_env.from_string(
            '{% from "macros/forms.html" import render_field %}{{ render_field(f, help=h) }}')
        assert macro.render(f=form.name, h="x <y>") == form_field(form.name, help="x <y>")


def test_kept_choices_write_their_options_once_and_never_with_a_choice():
    kept = ChoiceList(PAIRS)
    fresh = many_form()
    fresh.ours.choices = kept
    first = fresh.ours()
    assert kept.unchosen_options is not None and kept.unchosen_options in first
    again = many_form()
    again.ours.choices = kept
    assert again.ours() == first
    chosen = many_form(data={"ours": [3]})
    chosen.ours.choices = kept
    assert '<option selected value="3">' in chosen.ours()
    assert "selected" not in kept.unchosen_options


GROUPED = [SelectChoice("140502", "城区", optgroup="晋城市"),
           SelectChoice("140525", "泽州县", optgroup="晋城市"),
           SelectChoice("140105", "小店区 <&>", optgroup="太原市 \"甲\"")]


class Grouped(Form):
    ours = SelectField(widget=Select())
    theirs = SelectField()


def test_kept_grouped_choices_are_written_as_wtforms_writes_them():
    kept = ChoiceList(GROUPED)
    for data in (None, "140525"):
        form = Grouped(data={"ours": data, "theirs": data})
        form.ours.choices, form.theirs.choices = kept, list(GROUPED)
        assert form.ours(class_="form-select") == form.theirs(class_="form-select").replace(
            "theirs", "ours")
    assert kept.unchosen_options is not None and "selected" not in kept.unchosen_options
    assert '<optgroup label="太原市 &#34;甲&#34;">' in kept.unchosen_options
