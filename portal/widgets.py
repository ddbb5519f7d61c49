"""Form widgets (and fields) the portal needs beyond WTForms' own, WTForms' attribute writer
made faster, and the drawing of a field with its label, help and errors (``render_field``)."""

from datetime import date

import wtforms
import wtforms.widgets.core
from markupsafe import Markup, escape
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import Choice
from wtforms.validators import StopValidation
from wtforms.widgets.core import clean_key

from .i18n import gettext

# WTForms' own, kept for what html_params must write the same as (tests/test_widgets.py).
wtforms_html_params = wtforms.widgets.core.html_params


# The days a form or a filter accepts. Beyond them a day's midnight in China time, or the day
# after it, or a deadline counted from it, is not a date or datetime Python can hold (years 1
# and 9999): "0001-01-01" or "9999-12-31" typed into a date field must be an error, not a 500.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def iso_date(value: str | None) -> date | None:
    """The ISO date *value* (a filter's argument); None when it is not one or lies outside
    FIRST_DAY..LAST_DAY."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


class _Bounded:
    """A date field that refuses days outside FIRST_DAY..LAST_DAY, in the user's language."""

    def pre_validate(self, form):
        super().pre_validate(form)
        day = self.data.date() if hasattr(self.data, "date") else self.data
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise StopValidation(gettext("Enter a date between %(first)s and %(last)s.",
                                          first=FIRST_DAY.year, last=LAST_DAY.year))


class DateField(_Bounded, wtforms.DateField):
    """WTForms' DateField, within FIRST_DAY..LAST_DAY."""


class DateTimeLocalField(_Bounded, wtforms.DateTimeLocalField):
    """WTForms' DateTimeLocalField, within FIRST_DAY..LAST_DAY."""


def escape_text(text: str) -> str:
    """What ``markupsafe.escape`` makes of a str, as a str, in a quarter of its time."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def html_params(**kwargs) -> Markup:
    """WTForms' ``html_params`` (an element's attributes, sorted by name), five times faster.

    WTForms writes each attribute through ``Markup.format``, about 50 µs an element: a form
    draws dozens of inputs and labels (the meeting form 80, 4 ms). Same output: names and
    values escaped as markupsafe does, ``"`` inside Markup values written ``&quot;``, True
    as a bare name and False left out.
    """
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape_text(clean_key(key))
        if value is True:
            params.append(key)
        elif value is not False:
            text = (escape_text(value) if type(value) is str
                    else str(escape(value)).replace('"', "&quot;"))
            params.append(f'{key}="{text}"')
    # Every name and value escaped above.
    return Markup(" ".join(params))  # noqa: S704


def install_html_params() -> None:
    """Make every WTForms widget and label write its attributes with :func:`html_params`
    (process-wide and idempotent; the application factory calls it)."""
    wtforms.widgets.core.html_params = html_params  # Select, TextArea, option groups …
    wtforms.widgets.html_params = html_params  # labels (fields.core.Label)
    widgets.Input.html_params = staticmethod(html_params)  # every <input>
    widgets.Button.html_params = staticmethod(html_params)


class ChoiceList(list):
    """Choices a process may keep between requests (the districts of some provinces, an
    enterprise's trainers): their options with none chosen, a new form's, are written once,
    when first drawn, and kept with them. Treat it as read-only once drawn."""

    unchosen_options: str | None = None


class Select(widgets.Select):
    """WTForms' select with plain options written directly, and the options of kept choices
    (:class:`ChoiceList`) with none chosen written once.

    WTForms builds each option through ``html_params`` and ``Markup`` formatting, about 60 µs
    an option: a meeting form offering an enterprise's thousand trainers took 60 ms for that
    alone. The output is the same markup (attributes in ``html_params``' sorted order).
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        choices = field.choices
        if isinstance(choices, ChoiceList) and (field.data is None or field.data == []):
            if choices.unchosen_options is None:
                choices.unchosen_options = self.options(field)
            options = choices.unchosen_options
        else:
            options = self.options(field)
        # Attributes written by html_params, labels and values escaped by the options.
        return Markup(f'<select {html_params(name=field.name, **kwargs)}>'  # noqa: S704
                      f'{options}</select>')

    def options(self, field) -> str:
        """The field's options, in their groups, as WTForms' select writes them."""
        html = []
        if field.has_groups():
            for optgroup, choices in field._iter_groups_normalized():
                if optgroup is not None:
                    html.append(f"<optgroup {html_params(label=optgroup)}>")
                html.extend(self.render_option(choice) for choice in choices)
                if optgroup is not None:
                    html.append("</optgroup>")
        else:
            html.extend(self.render_option(choice) for choice in field._iter_choices_normalized())
        return "".join(html)

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value)
        label = escape(choice.label or value)
        if choice.selected:
            return f'<option selected value="{escape(value)}">{label}</option>'
        return f'<option value="{escape(value)}">{label}</option>'


class ManyOptionsSelect(Select):
    """The select of a :class:`ManyChoicesField`: its (value, label) pairs written in one pass,
    without a Choice per option (the same markup as :class:`Select`)."""

    def options(self, field) -> str:
        chosen = set(field.data or ())
        return "".join([
            f'<option{" selected" if value in chosen else ""} value="'
            f'{value if type(value) is int else escape_text(str(value))}">'
            f'{escape_text(str(label or value))}</option>'
            for value, label in field.choices or ()
        ])


class ManyChoicesField(SelectMultipleField):
    """A multiple select offering hundreds of options (a meeting's trainers: a thousand on a
    large enterprise). Its ``choices`` are plain (value, label) pairs with the values already
    of the type ``coerce`` makes; WTForms made a SelectChoice and a Choice of every option
    each time it rendered or checked them, which took longer than the rest of the form.
    """

    widget = ManyOptionsSelect(multiple=True)

    def iter_choices(self):
        chosen = set(self.data or ())
        return [Choice(value, label, value in chosen, {}) for value, label in self.choices or ()]

    def _iter_choices_normalized(self):
        return iter(self.iter_choices())

    def has_groups(self):
        return False


# Fields drawn as a select (Bootstrap's form-select); every other one but checkboxes and radio
# buttons is a form-control.
SELECT_TYPES = frozenset({"SelectField", "SelectMultipleField", "ManyChoicesField"})


def form_field(field, help=None) -> Markup:
    """A field with its label, a star when required, its errors and its help, as the macro
    ``render_field`` of macros/forms.html draws it (which calls this): in Python it costs a
    quarter of what the macro's Jinja did, some 80 µs a field (the meeting form has 14).

    The control is described by the help and the errors (``aria-describedby``), marked
    ``required`` and ``aria-invalid`` as it is, and keeps what was typed (WTForms' widgets).
    """
    errors = field.errors
    required = field.flags.required
    ident = escape(field.id)
    described = []
    if field.description or help:
        described.append(f"{field.id}-help")
    if errors:
        described.append(f"{field.id}-error")
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    if required:
        attrs.update({"required": True, "aria-required": "true"})
    if errors:
        attrs["aria-invalid"] = "true"
    invalid = " is-invalid" if errors else ""
    html = ['<div class="mb-3">']
    if field.type == "BooleanField":
        html += ['<div class="form-check">', field(class_="form-check-input" + invalid, **attrs),
                 field.label(class_="form-check-label"), "</div>"]
    elif field.type == "RadioField":
        html += ["<fieldset>",
                 f'<legend class="form-label fs-6">{escape(field.label.text)}</legend>']
        html += [f'<div class="form-check">{option(class_="form-check-input")} '
                 f'{option.label(class_="form-check-label")}</div>' for option in field]
        html.append("</fieldset>")
    else:
        label = field.label(class_="form-label")
        if required:
            label += Markup(' <span class="text-danger" aria-hidden="true">*</span>')
        html.append(label)
        style = "form-select" if field.type in SELECT_TYPES else "form-control"
        html.append(field(class_=style + invalid, **attrs))
    if errors:
        html.append(f'<div class="invalid-feedback d-block" id="{ident}-error">'
                    f'{Markup(" ").join(errors)}</div>')
    if field.description or help:
        html.append(f'<div class="form-text" id="{ident}-help">'
                    f'{escape(help or field.description)}</div>')
    html.append("</div>")
    # Markup from the widgets and labels, every text escaped above.
    return Markup("\n".join(html))  # noqa: S704


def init_app(app) -> None:
    """WTForms' attributes written by :func:`html_params`; ``form_field`` for the templates."""
    install_html_params()
    app.jinja_env.globals["form_field"] = form_field
