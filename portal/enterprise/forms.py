"""Enterprise administrators' forms: their own enterprise's staff accounts."""

from ..admin.forms import AccountForm, NewAccountMixin
from ..models import Role


class StaffForm(AccountForm):
    """Edit a staff account of one's own enterprise; only enterprise roles are offered."""

    roles = (Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN)

    def values(self) -> dict:
        """The arguments of :func:`operations.update_user` but the organisation."""
        return {
            "display_name": self.display_name.data,
            "email": self.email.data or None,
            "role": self.role.data,
        }


class NewStaffForm(NewAccountMixin, StaffForm):
    """Create a staff account of one's own enterprise, with a temporary password."""
