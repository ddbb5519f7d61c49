"""Administrator forms: bureaus, enterprises and user accounts.

The account forms are also the base of the enterprise administrator's staff forms.
"""

from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..auth.forms import validate_new_password
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..i18n import localized
from ..models import Bureau, Enterprise, EnterpriseStatus, Region, Role, User
from ..widgets import DateField
from . import operations


def strip(value):
    """Filter: drop surrounding spaces from typed text."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """Coerce for selects with an empty first option: ``""`` -> None, else an int."""
    if value is None or value == "" or value == "None":
        return None
    return int(value)


def _blank(label=None) -> SelectChoice:
    return SelectChoice("", str(label or _("— choose —")))


def region_choices(include=()) -> list[SelectChoice]:
    """Provinces and prefecture-level cities, grouped by province, plus the codes in *include*.

    *include* keeps a row's current region selectable when it is a district.
    """
    include = [code for code in include if code]
    rows = db.session.scalars(
        select(Region)
        .where(or_(Region.level <= 2, Region.code.in_(include)))
        .order_by(Region.code)
    ).all()
    provinces = {r.code[:2]: localized(r) for r in rows if r.level == 1}
    return [
        SelectChoice(r.code, f"{localized(r)} {r.code}", optgroup=provinces.get(r.code[:2], ""))
        for r in rows
    ]


def _taken(column, value, own=None) -> bool:
    """Whether another row than *own* already has *value* in *column* (a unique column)."""
    model = column.class_
    stmt = select(func.count()).select_from(model).where(column == value)
    if own is not None:
        stmt = stmt.where(model.id != own.id)
    return db.session.scalar(stmt) > 0


class BureauForm(FlaskForm):
    """Create or edit a market-regulation bureau."""

    name_zh = StringField(
        _l("Name in Chinese"), [DataRequired(), Length(max=128)], filters=[strip]
    )
    name_en = StringField(
        _l("Name in English"), [DataRequired(), Length(max=200)], filters=[strip]
    )
    short_name = StringField(
        _l("Abbreviation"),
        [DataRequired(), Length(max=20)],
        filters=[strip],
        description=_l(
            "Starts the bureau's document numbers, e.g. 晋城市监 in 晋城市监责改〔2026〕12号."
        ),
    )
    region_code = SelectField(
        _l("Jurisdiction"),
        [DataRequired()],
        description=_l("The province or city whose market the bureau supervises."),
    )
    parent_id = SelectField(_l("Parent bureau"), coerce=optional_int)
    meeting_lead_days = IntegerField(
        _l("Training meetings: minimum notice (days)"),
        [DataRequired(), NumberRange(min=7, max=60)],
        default=7,
        description=_l("At least 7 days (Article 10 of the Measures on Business Training of "
                       "Direct Sellers); a bureau may ask for more."),
    )
    meeting_lead_in_working_days = BooleanField(
        _l("Count the notice in working days (Chinese working-day calendar)")
    )
    meeting_attendance_cap = IntegerField(
        _l("Training meetings: largest attendance allowed"),
        [Optional(), NumberRange(min=1, max=100000)],
        description=_l("Leave empty for no limit."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, bureau: Bureau | None = None, **kwargs):
        super().__init__(*args, obj=bureau, **kwargs)
        self.bureau = bureau
        own_region = bureau.region_code if bureau else ""
        self.region_code.choices = [_blank(), *region_choices([own_region])]
        parents = db.session.scalars(
            select(Bureau)
            .where(or_(Bureau.is_active, Bureau.id == (bureau.parent_id if bureau else None)))
            .order_by(Bureau.region_code, Bureau.id)
        )
        self.parent_id.choices = [_blank(_("— none —"))] + [
            SelectChoice(str(b.id), localized(b)) for b in parents if b is not bureau
        ]

    def validate_name_zh(self, field):
        if _taken(Bureau.name_zh, field.data, self.bureau):
            raise ValidationError(_l("Another bureau already has this name."))

    def validate_short_name(self, field):
        if _taken(Bureau.short_name, field.data, self.bureau):
            raise ValidationError(_l("Another bureau already uses this abbreviation."))

    def validate_parent_id(self, field):
        if self.region_code.data and not operations.parent_contains(
            self.parent, self.region_code.data
        ):
            raise ValidationError(operations.PARENT_BUREAU_MESSAGE)

    @property
    def parent(self) -> Bureau | None:
        return db.session.get(Bureau, self.parent_id.data) if self.parent_id.data else None

    def values(self) -> dict:
        """The arguments of :func:`operations.create_bureau` / ``update_bureau``."""
        return {
            "name_zh": self.name_zh.data,
            "name_en": self.name_en.data,
            "short_name": self.short_name.data,
            "region_code": self.region_code.data,
            "parent": self.parent,
            "meeting_lead_days": self.meeting_lead_days.data,
            "meeting_lead_in_working_days": self.meeting_lead_in_working_days.data,
            "meeting_attendance_cap": self.meeting_attendance_cap.data,
        }


CREDIT_CODE_MESSAGES = {
    InvalidLength: _l("A unified social credit code has 18 characters."),
    InvalidChecksum: _l(
        "The last character (the check digit) does not match the rest of the code. "
        "Check the code for typing errors."
    ),
}
CREDIT_CODE_INVALID = _l(
    "This is not a valid unified social credit code. It has 18 digits and capital letters "
    "(not I, O, S, V or Z)."
)


class EnterpriseForm(FlaskForm):
    """Create or edit a licensed direct-selling enterprise and its approved regions."""

    name = StringField(_l("Enterprise name"), [DataRequired(), Length(max=128)], filters=[strip])
    name_en = StringField(_l("Name in English"), [Optional(), Length(max=200)], filters=[strip])
    credit_code = StringField(
        _l("Unified social credit code"),
        [DataRequired(), Length(max=40)],
        filters=[strip],
        description=_l("18 characters, as on the business licence."),
    )
    licence_no = StringField(
        _l("Direct-selling licence number"), [DataRequired(), Length(max=64)], filters=[strip]
    )
    licence_issued_on = DateField(_l("Licence issued on"), [Optional()])
    address = StringField(
        _l("Registered address"), [DataRequired(), Length(max=255)], filters=[strip]
    )
    region_code = StringField(
        _l("Seat (district or county code)"),
        [DataRequired()],
        filters=[strip],
        description=_l("The six-digit division code of the district or county, e.g. 140502."),
    )
    status = SelectField(_l("Licence status"), coerce=EnterpriseStatus)
    # Not named like the model's relationship, so obj= never fills it with EnterpriseRegion rows.
    selling_regions = SelectMultipleField(
        _l("Approved selling regions"),
        [DataRequired(message=_l("Choose at least one approved region."))],
        render_kw={"size": 12},
        description=_l("Hold Ctrl (⌘ on a Mac) to choose several provinces or cities."),
    )
    approved_on = DateField(
        _l("Approved on (for newly added regions)"),
        [Optional()],
        description=_l("Regions approved earlier keep their own date."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, enterprise: Enterprise | None = None, **kwargs):
        current = [r.region_code for r in enterprise.approved_regions] if enterprise else []
        super().__init__(*args, obj=enterprise, selling_regions=current, **kwargs)
        self.enterprise = enterprise
        self.current_regions = set(current)
        self.selling_regions.choices = region_choices(current)
        self.status.choices = [SelectChoice(s.value, str(s.label)) for s in EnterpriseStatus]

    def validate_credit_code(self, field):
        try:
            field.data = uscc.validate(field.data)
        except StdnumError as error:
            raise ValidationError(
                CREDIT_CODE_MESSAGES.get(type(error), CREDIT_CODE_INVALID)
            ) from None
        if _taken(Enterprise.credit_code, field.data, self.enterprise):
            raise ValidationError(_l("Another enterprise already has this credit code."))

    def validate_licence_no(self, field):
        if _taken(Enterprise.licence_no, field.data, self.enterprise):
            raise ValidationError(_l("Another enterprise already has this licence number."))

    def validate_region_code(self, field):
        region = db.session.get(Region, field.data)
        has_districts = region is not None and db.session.scalar(
            select(func.count()).select_from(Region).where(Region.parent_code == region.code)
        )
        if region is None or region.level < 2 or (region.level == 2 and has_districts):
            raise ValidationError(
                _("%(code)s is not the code of a district or county.", code=field.data)
            )

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: newly added regions need an approval date.

        Done here because Optional() ends the date field's own chain when it is empty.
        """
        valid = super().validate(extra_validators)
        added = set(self.selling_regions.data or ()) - self.current_regions
        if added and self.approved_on.data is None and not self.approved_on.errors:
            self.approved_on.errors.append(operations.APPROVED_ON_MESSAGE)
            return False
        return valid

    def values(self) -> dict:
        """The fields shared by :func:`operations.create_enterprise` and ``update_enterprise``."""
        return {
            "name": self.name.data,
            "name_en": self.name_en.data or None,
            "credit_code": self.credit_code.data,
            "licence_no": self.licence_no.data,
            "licence_issued_on": self.licence_issued_on.data,
            "address": self.address.data,
            "region_code": self.region_code.data,
            "status": self.status.data,
        }


class AccountForm(FlaskForm):
    """Name, e-mail and role of an account; subclasses choose the roles offered."""

    roles: tuple[Role, ...] = tuple(Role)

    role = SelectField(_l("Role"), coerce=Role)
    display_name = StringField(_l("Name"), [DataRequired(), Length(max=64)], filters=[strip])
    email = EmailField(_l("E-mail"), [Optional(), Email(), Length(max=254)], filters=[strip])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, obj=user, **kwargs)
        self.user = user
        self.role.choices = [SelectChoice(r.value, str(r.label)) for r in self.roles]

    def validate_role(self, field):
        own = self.user is not None and self.user.id == current_user.id
        if own and field.data != self.user.role:
            raise ValidationError(operations.OWN_ROLE_MESSAGE)


class NewAccountMixin:
    """User name and temporary password of a new account (mixed into an AccountForm)."""

    username = StringField(
        _l("User name"),
        [
            DataRequired(),
            Length(min=3, max=64),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._@-]*$",
                message=_l(
                    "Use letters, digits and . _ @ - only, starting with a letter or digit."
                ),
            ),
        ],
        filters=[strip],
        description=_l("Used to sign in; it cannot be changed later."),
    )
    password = PasswordField(
        _l("Temporary password"),
        [DataRequired(), Length(max=256)],
        description=_l("The user must choose a new password at the first sign-in."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        [DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def validate_username(self, field):
        if _taken(User.username, field.data.lower()):
            raise ValidationError(_l("This user name is already taken."))

    def validate_password(self, field):
        validate_new_password(field.data, self.username.data or "")


class UserForm(AccountForm):
    """Edit any account: role and organisation (enterprise or bureau) must fit together."""

    enterprise_id = SelectField(
        _l("Enterprise"),
        coerce=optional_int,
        description=_l("For enterprise staff and enterprise administrators."),
    )
    bureau_id = SelectField(
        _l("Bureau"), coerce=optional_int, description=_l("For regulators and inspectors.")
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        enterprises = db.session.scalars(select(Enterprise).order_by(Enterprise.name))
        self.enterprise_id.choices = [_blank(_("— none —"))] + [
            SelectChoice(str(e.id), e.name) for e in enterprises
        ]
        own_bureau = user.bureau_id if user else None
        bureaus = db.session.scalars(
            select(Bureau)
            .where(or_(Bureau.is_active, Bureau.id == own_bureau))
            .order_by(Bureau.region_code, Bureau.id)
        )
        self.bureau_id.choices = [_blank(_("— none —"))] + [
            SelectChoice(str(b.id), localized(b)) for b in bureaus
        ]

    def validate_role(self, field):
        super().validate_role(field)
        if not isinstance(field.data, Role):
            return  # not a valid choice: already reported
        problem = operations.organisation_problem(
            field.data, self.enterprise_id.data is not None, self.bureau_id.data is not None
        )
        if problem:
            raise ValidationError(operations.ORGANISATION_MESSAGES[problem])

    def values(self) -> dict:
        """The arguments of :func:`operations.update_user` (and most of ``create_user``)."""
        enterprise_id, bureau_id = self.enterprise_id.data, self.bureau_id.data
        return {
            "display_name": self.display_name.data,
            "email": self.email.data or None,
            "role": self.role.data,
            "enterprise": db.session.get(Enterprise, enterprise_id) if enterprise_id else None,
            "bureau": db.session.get(Bureau, bureau_id) if bureau_id else None,
        }


class NewUserForm(NewAccountMixin, UserForm):
    """Create any account, with a temporary password."""


class ResetPasswordForm(FlaskForm):
    """An administrator sets a temporary password that the user must change."""

    password = PasswordField(
        _l("Temporary password"),
        [DataRequired(), Length(max=256)],
        description=_l("The user must choose a new password at the next sign-in."),
    )
    confirm = NewAccountMixin.confirm
    submit = SubmitField(_l("Reset password"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field):
        validate_new_password(field.data, self.user.username)
