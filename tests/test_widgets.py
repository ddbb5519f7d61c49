"""The portal's select widget writes the same markup as WTForms' own, faster."""

from wtforms import Form, SelectChoice, SelectField, SelectMultipleField

from portal.widgets import Select

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
