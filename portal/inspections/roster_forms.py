"""Forms of the rosters area: a recusal (回避) and a re-draw of one assignment."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..admin.forms import optional_int, strip
from ..i18n import lazy_gettext as _l


class RecusalForm(FlaskForm):
    """Declare a conflict of interest with an enterprise (inspectors, or administrators for
    an inspector)."""

    enterprise_id = SelectField(
        _l("Enterprise"), coerce=optional_int, validators=[InputRequired()],
        description=_l("Enterprises in the jurisdiction of the inspector's bureau."),
    )
    reason = TextAreaField(
        _l("Reason"), [DataRequired(), Length(max=500)], filters=[strip],
        render_kw={"rows": 3},
        description=_l("E.g. a relative works there, a former employer, a financial interest."),
    )
    submit = SubmitField(_l("Declare recusal"))


class RedrawForm(FlaskForm):
    """Replace one inspector of an open check by a re-drawn one (regulators)."""

    assignment = SelectField(_l("Inspector to replace"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason"), [DataRequired(), Length(max=500)], filters=[strip],
        render_kw={"rows": 3},
        description=_l("Recorded with the re-draw and shown on the plan and verification pages."),
    )
    submit = SubmitField(_l("Re-draw this assignment"))
