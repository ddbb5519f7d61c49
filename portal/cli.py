"""Command-line tools (``flask --app portal …``). Thin: each calls operations and commits."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import audit, backup, demo
from .admin import operations
from .extensions import db
from .inspections.items import load_check_items
from .meetings.claims import load_claim_phrases
from .models import Role
from .notices.provisions import load_provisions
from .review.reasons import load_review_reasons
from .rules.passwords import password_problems

regions_cli = AppGroup("regions", help="Administrative division data.")
catalogues_cli = AppGroup(
    "catalogues",
    help="Catalogues kept as data (claims phrases, review reasons, check items, provisions).",
)
audit_cli = AppGroup("audit", help="The tamper-evident audit log.")
checks_cli = AppGroup("checks", help="Double-random spot checks.")
backup_cli = AppGroup("backup", help="Back up and restore the database and uploaded documents.")


def _demo_password_file() -> Path:
    return Path(current_app.instance_path) / "demo-password"


def print_logins(logins, password: str | None) -> None:
    click.echo("\nDemo logins (演示账号), sign in at /auth/login")
    for login in logins:
        click.echo(f"  {login.username:<18} {login.role.value:<17} {login.organisation}")
    if password:
        click.echo(f"  password for all of them: {password}\n")
    else:
        click.echo("  password: the one given to seed-demo (run `make demo-reset` for a new one)\n")


@click.command("seed-demo")
@click.option("--password", help="Password for every demo user (default: DEMO_PASSWORD or random).")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no users yet.")
@with_appcontext
def seed_demo(password: str | None, if_empty: bool) -> None:
    """Create fictional demo bureaus, enterprises and one user per role; safe to re-run."""
    password_file = _demo_password_file()
    if if_empty and not demo.database_is_empty():
        click.echo("The database already has data; demo data left as it is.")
        known = password_file.read_text().strip() if password_file.exists() else None
        print_logins([demo.DemoLogin(u, r, "") for u, _, r, _ in demo.USERS], known)
        return
    password = password or os.environ.get("DEMO_PASSWORD") or demo.generate_password()
    logins = demo.seed(password)
    db.session.commit()
    password_file.write_text(password)
    password_file.chmod(0o600)
    print_logins(logins, password)


@click.command("create-user")
@click.option("--username", prompt=True)
@click.option("--display-name", prompt=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), prompt=True)
@click.option("--enterprise-id", type=int, help="For enterprise roles.")
@click.option("--bureau-id", type=int, help="For regulators and inspectors.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user(username, display_name, role, enterprise_id, bureau_id, password) -> None:
    """Create an account for a real deployment (the first administrator, say)."""
    from .models import Bureau, Enterprise

    problems = password_problems(password, username, current_app.config["PASSWORD_MIN_LENGTH"])
    if problems:
        raise click.ClickException("password too weak: " + ", ".join(problems))
    role = Role(role)
    enterprise = db.session.get(Enterprise, enterprise_id) if enterprise_id else None
    bureau = db.session.get(Bureau, bureau_id) if bureau_id else None
    if role.is_enterprise and enterprise is None:
        raise click.ClickException("--enterprise-id must name an existing enterprise")
    if role.is_bureau and bureau is None:
        raise click.ClickException("--bureau-id must name an existing bureau")
    user = operations.create_user(
        username=username, password=password, role=role, display_name=display_name,
        enterprise=enterprise if role.is_enterprise else None,
        bureau=bureau if role.is_bureau else None,
    )
    db.session.commit()
    click.echo(f"created user {user.username} ({role.value})")


@regions_cli.command("load")
def load_regions() -> None:
    """Load or refresh the administrative divisions from portal/data/regions.csv."""
    count = operations.load_regions()
    db.session.commit()
    click.echo(f"{count} regions loaded")


@catalogues_cli.command("load")
def load_catalogues() -> None:
    """Add the default claims phrases, review reasons, check items and the provisions notices
    cite, from portal/data/.

    Rows maintained in the portal are kept: a deactivated phrase or reason stays off, and an
    edited review reason is neither changed back nor added again.
    """
    added, changed = load_claim_phrases()
    reasons_added = load_review_reasons()
    items_added = load_check_items()
    provisions_added = load_provisions()
    db.session.commit()
    click.echo(f"claim phrases: {added} added, {changed} changed")
    click.echo(f"review reasons: {reasons_added} added (existing ones left as they are)")
    click.echo(f"check items: {items_added} added (existing ones left as they are)")
    click.echo(f"provisions: {provisions_added} added (existing ones left as they are)")


@audit_cli.command("verify")
def verify_audit() -> None:
    """Check the hash chain; exit 1 and name the first broken row if it was tampered with."""
    count, broken = audit.verify()
    if broken is not None:
        click.echo(f"BROKEN at audit event {broken.id} (row {count}): {broken.action}", err=True)
        raise SystemExit(1)
    click.echo(f"audit log intact: {count} events")


@checks_cli.command("verify")
@click.argument("plan_id", type=int)
def verify_draw(plan_id: int) -> None:
    """Recompute a spot-check plan's draw (and its re-draws) from the revealed seed; exit 1 if
    anything differs."""
    from .inspections.operations import PlanError, verify
    from .inspections.redraw import verify_redraws
    from .models import CheckPlan

    plan = db.session.get(CheckPlan, plan_id) if 0 < plan_id < 2**63 else None
    if plan is None:
        raise click.ClickException(f"no plan {plan_id}")
    try:
        result = verify(plan)
    except PlanError:
        raise click.ClickException(f"plan {plan_id} has not been drawn yet") from None
    click.echo(f"plan {plan.id}: {plan.name}")
    click.echo(f"  seed      {plan.seed}")
    click.echo(f"  sha-256   {plan.seed_hash}  "
               f"{'matches' if result.seed_matches else 'DOES NOT MATCH'}")
    click.echo(f"  rosters   {len(plan.target_roster)} targets, {len(plan.inspector_roster)} "
               f"inspectors, {len(plan.recusals)} recusals")
    for n, (key, chosen) in enumerate(result.expected, 1):
        click.echo(f"  {n:>4}  {key:<20} inspectors {', '.join(map(str, chosen))}")
    if not result.ok:
        click.echo("DRAW DOES NOT VERIFY: the stored checks differ from the recomputation",
                   err=True)
        raise SystemExit(1)
    click.echo(f"draw verified: {len(result.expected)} checks recomputed identically")
    redraws = verify_redraws(plan)
    for item in redraws:
        row = item.reassignment
        click.echo(f"  re-draw {row.check.number} #{row.number}: {row.old_inspector_id} -> "
                   f"{row.new_inspector_id} ({'verified' if item.ok else 'DOES NOT VERIFY'}): "
                   f"{row.reason}")
    if not all(item.ok for item in redraws):
        click.echo("A RE-DRAW DOES NOT VERIFY", err=True)
        raise SystemExit(1)


@backup_cli.command("create")
@click.option("--output", type=click.Path(path_type=Path),
              help="Archive file or folder (default: instance/backups/portal-backup-….tar.gz).")
def create_backup(output: Path | None) -> None:
    """Write one consistent archive of the database and the uploaded documents."""
    try:
        made = backup.create_backup(output)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written: {made.path} ({made.size} bytes)")
    click.echo(f"  {len(made.row_counts)} tables, {sum(made.row_counts.values())} rows, "
               f"{made.documents} stored files referenced")
    for sha256 in made.missing_uploads:
        click.echo(f"  WARNING: stored file {sha256} was already missing from the store",
                   err=True)


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_backup(path: Path, yes: bool) -> None:
    """Check an archive completely, then replace the database and the uploads with it."""
    try:
        with backup.verify_archive(path) as verified:
            manifest = verified.manifest
            click.echo(f"archive verified: {len(manifest['files'])} files match the manifest")
            click.echo(f"  made {manifest['created_at']}, {manifest['database_kind']} database "
                       f"at revision {manifest['alembic_revision']}")
            if not yes and not click.confirm(
                "Replace the current database and uploaded documents with this backup?"
            ):
                raise click.ClickException("restore cancelled; nothing was changed")
            done = backup.restore_archive(verified)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"database restored: {len(done.row_counts)} tables, "
               f"{sum(done.row_counts.values())} rows, counts match the backup")
    click.echo(f"uploads restored: {done.files_restored} files; "
               f"{done.documents_checked} referenced files hash to their SHA-256")
    if done.displaced_to:
        click.echo(f"  files not in the backup were moved to {done.displaced_to}")
    for sha256 in done.missing_uploads:
        click.echo(f"  WARNING: stored file {sha256} was missing when the backup was made",
                   err=True)
    if manifest["alembic_revision"] != backup.code_head():
        click.echo("  the backup is from an older revision: run `flask --app portal db upgrade`")


def init_app(app) -> None:
    for command in (seed_demo, create_user, regions_cli, catalogues_cli, audit_cli, checks_cli,
                    backup_cli):
        app.cli.add_command(command)
