"""One table: every route, every role -> the expected status. A route missing here fails.

URLs may name ids of the `world` fixture: {enterprise_a} is inside bureau 1 / enterprise A's
own; {enterprise_b} belongs to the other bureau and enterprise (so it must be 404, never 200).
"""

import pytest

from .factories import USERNAMES

ROLES = ["anonymous", "admin", "regulator", "inspector", "enterprise_admin", "enterprise_staff"]
LOGIN = 302  # anonymous users are sent to the sign-in page
ENTERPRISE_ONLY = {"admin": 403, "regulator": 403, "inspector": 403,
                   "enterprise_admin": 200, "enterprise_staff": 200}
ENTERPRISE_ADMIN_ONLY = {**ENTERPRISE_ONLY, "enterprise_staff": 403}
REGULATOR_ONLY = {"admin": 403, "regulator": 200, "inspector": 403,
                  "enterprise_admin": 403, "enterprise_staff": 403}
INSPECTOR_ONLY = {**REGULATOR_ONLY, "regulator": 403, "inspector": 200}
ADMIN_ONLY = {**REGULATOR_ONLY, "regulator": 403, "admin": 200}
BUREAU_STAFF = {**REGULATOR_ONLY, "inspector": 200}
NO_SUPERVISION = {**BUREAU_STAFF, "regulator": 404, "inspector": 404}
ANY_SIGNED_IN = dict.fromkeys(ROLES[1:], 200)
# The claims checker's phrase list: regulators and administrators maintain it.
CATALOGUE = {**REGULATOR_ONLY, "admin": 200}
CATALOGUE_MISSING = {**CATALOGUE, "admin": 404, "regulator": 404}
# After a POST that changes something, the page redirects.
ADMIN_REDIRECT = {**ADMIN_ONLY, "admin": 302}
ENTERPRISE_ADMIN_REDIRECT = {**ENTERPRISE_ADMIN_ONLY, "enterprise_admin": 302}
# Another enterprise's (or a bureau's) account: an enterprise admin must not learn it exists.
NOT_OWN_STAFF = {**ENTERPRISE_ADMIN_ONLY, "enterprise_admin": 404}

# Filings: enterprise A's own (and bureau 1's area); B's belong to the other side.
ANY_ROLE = dict.fromkeys(ROLES[1:], 200)
SEE_A = {**ANY_ROLE, "regulator": 200, "inspector": 200}
SEE_B = {**ANY_ROLE, "regulator": 404, "inspector": 404, "enterprise_admin": 404,
         "enterprise_staff": 404}
SEE_DRAFT_A = {**ANY_ROLE, "regulator": 404, "inspector": 404}
ENTERPRISE_POST_OWN = {"admin": 403, "regulator": 403, "inspector": 403,
                       "enterprise_admin": 302, "enterprise_staff": 302}
ENTERPRISE_POST_OTHER = {**ENTERPRISE_POST_OWN, "enterprise_admin": 404,
                         "enterprise_staff": 404}

# Bureau 2's notice to enterprise B: bureau 1's regulator and A's staff are told it is not there.
NOT_THEIRS_NOTICE = {**REGULATOR_ONLY, "regulator": 404, "enterprise_admin": 404,
                     "enterprise_staff": 404}
NOT_THEIRS_ENTERPRISE_POST = {**ENTERPRISE_ONLY, "enterprise_admin": 404,
                              "enterprise_staff": 404}

# endpoint -> list of (method, url, {role: status}); "anonymous" defaults to LOGIN.
ACCESS = {
    "filings.list_filings": [("GET", "/filings/", ENTERPRISE_ONLY)],
    "filings.show": [
        ("GET", "/filings/{filing_a}", SEE_A),
        ("GET", "/filings/{filing_b}", SEE_B),
        ("GET", "/filings/{draft_a}", SEE_DRAFT_A),
        ("GET", "/filings/999999", {**SEE_B, "admin": 404}),
    ],
    "filings.act": [
        # A stale or missing version is answered, never taken: the own enterprise is told of
        # the conflict (409), as a post without the version it saw would act blind.
        ("POST", "/filings/{filing_a}/withdraw", {**ENTERPRISE_POST_OWN, "enterprise_admin": 409,
                                                  "enterprise_staff": 409}),
        ("POST", "/filings/{filing_b}/withdraw", ENTERPRISE_POST_OTHER),
        ("POST", "/filings/{filing_a}/approve", {**ENTERPRISE_POST_OWN, "enterprise_admin": 404,
                                                 "enterprise_staff": 404}),
    ],
    "filings.discard": [
        ("POST", "/filings/{filing_b}/discard", ENTERPRISE_POST_OTHER),
        ("POST", "/filings/{draft_a}/discard", ENTERPRISE_POST_OWN),
    ],
    "filings.download": [
        ("GET", "/filings/{filing_a}/documents/{document_a}", SEE_A),
        # A's document through B's filing: the document is not part of it, for anyone.
        ("GET", "/filings/{filing_b}/documents/{document_a}", dict.fromkeys(ROLES[1:], 404)),
        ("GET", "/filings/{filing_a}/documents/999999", {**SEE_B, "admin": 404}),
    ],
    "filings.receipt": [
        ("GET", "/filings/{filing_a}/receipt.pdf", SEE_A),
        ("GET", "/filings/{filing_b}/receipt.pdf", SEE_B),
        ("GET", "/filings/{draft_a}/receipt.pdf", {**SEE_DRAFT_A, "admin": 404,
                                                   "enterprise_admin": 404,
                                                   "enterprise_staff": 404}),
    ],
    "outlets.new": [("GET", "/enterprise/outlets/new", ENTERPRISE_ONLY)],
    # Bulk import: no ids in these URLs; the enterprise is always the user's own.
    "outlets.import_outlets": [
        ("GET", "/enterprise/outlets/import", ENTERPRISE_ONLY),
        ("POST", "/enterprise/outlets/import", ENTERPRISE_ONLY),  # no file: shown again
    ],
    "outlets.import_template": [
        ("GET", "/enterprise/outlets/import/template.csv", ENTERPRISE_ONLY),
        ("GET", "/enterprise/outlets/import/template.xlsx", ENTERPRISE_ONLY),
    ],
    "outlets.import_report": [
        # Without a signed report (or with one made for another user) there is nothing to send.
        ("POST", "/enterprise/outlets/import/report", {**ENTERPRISE_ONLY, "enterprise_admin": 400,
                                                        "enterprise_staff": 400}),
    ],
    "outlets.edit": [
        ("GET", "/enterprise/outlets/{draft_a}/edit", ENTERPRISE_ONLY),
        ("GET", "/enterprise/outlets/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                        "enterprise_admin": 404,
                                                        "enterprise_staff": 404}),
    ],
    # Trainers: the world holds outlets only, so the own enterprise's filing of another kind is
    # sent to its page (302) and another enterprise's filing is 404.
    "trainers.list_trainers": [("GET", "/enterprise/trainers/", ENTERPRISE_ONLY)],
    "trainers.new": [
        ("GET", "/enterprise/trainers/new", ENTERPRISE_ONLY),
        ("POST", "/enterprise/trainers/new", ENTERPRISE_ONLY),  # empty form: shown again
    ],
    "trainers.edit": [
        ("GET", "/enterprise/trainers/{draft_a}/edit", {**ENTERPRISE_ONLY,
                                                        "enterprise_admin": 302,
                                                        "enterprise_staff": 302}),
        ("GET", "/enterprise/trainers/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                         "enterprise_admin": 404,
                                                         "enterprise_staff": 404}),
        ("POST", "/enterprise/trainers/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                          "enterprise_admin": 404,
                                                          "enterprise_staff": 404}),
    ],
    # Version comparison: scoped like the filing page; an event of no version of this filing
    # (or a malformed id) is 404 for everyone.
    "filings.compare": [
        ("GET", "/filings/{filing_a}/compare", SEE_A),
        ("GET", "/filings/{filing_b}/compare", SEE_B),
        ("GET", "/filings/{draft_a}/compare", SEE_DRAFT_A),
        ("GET", "/filings/{filing_a}/compare?a=999999", dict.fromkeys(ROLES[1:], 404)),
        ("GET", "/filings/{filing_a}/compare?b=x", dict.fromkeys(ROLES[1:], 404)),
        ("GET", "/filings/{filing_b}/compare?a=999999", dict.fromkeys(ROLES[1:], 404)),
    ],
    # Return policies: the world holds outlets only, so an outlet id stands for "not a policy"
    # (the own one is sent to its page, 302) and B's for "another enterprise's" (404).
    # tests/policies/test_access_policies.py repeats the table with real policies.
    "policies.list_versions": [("GET", "/enterprise/policies/", ENTERPRISE_ONLY)],
    "policies.new": [
        ("GET", "/enterprise/policies/new", ENTERPRISE_ONLY),
        ("POST", "/enterprise/policies/new", ENTERPRISE_ONLY),  # empty form: shown again
        ("GET", "/enterprise/policies/new?from={filing_b}", {**ENTERPRISE_ONLY,
                                                             "enterprise_admin": 404,
                                                             "enterprise_staff": 404}),
        ("GET", "/enterprise/policies/new?from={filing_a}", {**ENTERPRISE_ONLY,
                                                             "enterprise_admin": 404,
                                                             "enterprise_staff": 404}),
        ("GET", "/enterprise/policies/new?from=x", {**ENTERPRISE_ONLY, "enterprise_admin": 404,
                                                    "enterprise_staff": 404}),
    ],
    "policies.edit": [
        ("GET", "/enterprise/policies/{draft_a}/edit", {**ENTERPRISE_ONLY,
                                                        "enterprise_admin": 302,
                                                        "enterprise_staff": 302}),
        ("GET", "/enterprise/policies/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                         "enterprise_admin": 404,
                                                         "enterprise_staff": 404}),
        ("POST", "/enterprise/policies/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                          "enterprise_admin": 404,
                                                          "enterprise_staff": 404}),
    ],
    "policy_versions.compare": [
        ("GET", "/filings/policies/compare?a={filing_a}&b={filing_a}",
         dict.fromkeys(ROLES[1:], 404)),
        ("GET", "/filings/policies/compare?a={filing_b}&b={filing_b}",
         dict.fromkeys(ROLES[1:], 404)),
        ("GET", "/filings/policies/compare", dict.fromkeys(ROLES[1:], 404)),
    ],
    # Training meetings: the world holds outlets only, so the own enterprise's outlet is sent
    # to its page (302) and B's filing is 404. tests/meetings/test_meeting_access.py repeats
    # the table with real meetings of both enterprises and a valid calendar token.
    "meetings.list_meetings": [("GET", "/enterprise/meetings/", ENTERPRISE_ONLY)],
    "meetings.new": [
        ("GET", "/enterprise/meetings/new", ENTERPRISE_ONLY),
        ("POST", "/enterprise/meetings/new", ENTERPRISE_ONLY),  # empty form: shown again
    ],
    "meetings.edit": [
        ("GET", "/enterprise/meetings/{draft_a}/edit", {**ENTERPRISE_ONLY,
                                                        "enterprise_admin": 302,
                                                        "enterprise_staff": 302}),
        ("GET", "/enterprise/meetings/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                         "enterprise_admin": 404,
                                                         "enterprise_staff": 404}),
        ("POST", "/enterprise/meetings/{filing_b}/edit", {**ENTERPRISE_ONLY,
                                                          "enterprise_admin": 404,
                                                          "enterprise_staff": 404}),
    ],
    "meetings.report_attendance": [
        ("GET", "/enterprise/meetings/{filing_a}/attendance", {**ENTERPRISE_ONLY,
                                                               "enterprise_admin": 302,
                                                               "enterprise_staff": 302}),
        ("POST", "/enterprise/meetings/{filing_b}/attendance", {**ENTERPRISE_ONLY,
                                                                "enterprise_admin": 404,
                                                                "enterprise_staff": 404}),
    ],
    "meetings.calendar": [("GET", "/enterprise/meetings/calendar", ENTERPRISE_ONLY)],
    "meetings.generate_calendar_token": [
        ("POST", "/enterprise/meetings/calendar/token", ENTERPRISE_POST_OWN),
    ],
    "meetings.revoke_calendar_token": [
        ("POST", "/enterprise/meetings/calendar/token/revoke", ENTERPRISE_POST_OWN),
    ],
    # Public, no sign-in: the token is the key (a valid one is tested in tests/meetings/).
    "calendar.feed": [
        ("GET", "/calendar/no-such-token-0123456789abcdef.ics", dict.fromkeys(ROLES, 404)),
        ("GET", "/calendar/x.ics", dict.fromkeys(ROLES, 404)),
    ],
    "core.index": [("GET", "/", dict.fromkeys(ROLES, 302))],
    "core.healthz": [("GET", "/healthz", dict.fromkeys(ROLES, 200))],
    "auth.login": [("GET", "/auth/login", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)})],
    "auth.logout": [("POST", "/auth/logout", dict.fromkeys(ROLES[1:], 302))],
    "auth.change_password": [("GET", "/auth/password", ANY_SIGNED_IN)],
    "enterprise.home": [("GET", "/enterprise/", ENTERPRISE_ONLY)],
    "enterprise.list_staff": [("GET", "/enterprise/staff", ENTERPRISE_ADMIN_ONLY)],
    "enterprise.create_staff": [
        ("GET", "/enterprise/staff/new", ENTERPRISE_ADMIN_ONLY),
        ("POST", "/enterprise/staff/new", ENTERPRISE_ADMIN_ONLY),  # empty form: shown again
    ],
    "enterprise.edit_staff": [
        ("GET", "/enterprise/staff/{users[enterprise_staff]}/edit", ENTERPRISE_ADMIN_ONLY),
        # An empty POST keeps the stored values: saved, redirected.
        ("POST", "/enterprise/staff/{users[enterprise_staff]}/edit", ENTERPRISE_ADMIN_REDIRECT),
        ("GET", "/enterprise/staff/{users[enterprise2_staff]}/edit", NOT_OWN_STAFF),
        ("POST", "/enterprise/staff/{users[enterprise2_admin]}/edit", NOT_OWN_STAFF),
        ("GET", "/enterprise/staff/{users[regulator]}/edit", NOT_OWN_STAFF),
        ("GET", "/enterprise/staff/999999/edit", NOT_OWN_STAFF),
    ],
    "enterprise.deactivate_staff": [
        ("POST", "/enterprise/staff/{users[enterprise_staff]}/deactivate",
         ENTERPRISE_ADMIN_REDIRECT),
        ("POST", "/enterprise/staff/{users[enterprise2_staff]}/deactivate", NOT_OWN_STAFF),
        ("POST", "/enterprise/staff/{users[admin]}/deactivate", NOT_OWN_STAFF),
        ("GET", "/enterprise/staff/{users[enterprise_staff]}/deactivate",
         {**dict.fromkeys(ROLES[1:], 405), "anonymous": 405}),
    ],
    "enterprise.reactivate_staff": [
        ("POST", "/enterprise/staff/{users[enterprise_staff]}/reactivate",
         ENTERPRISE_ADMIN_REDIRECT),
        ("POST", "/enterprise/staff/{users[enterprise2_staff]}/reactivate", NOT_OWN_STAFF),
    ],
    "enterprise.reset_staff_password": [
        ("GET", "/enterprise/staff/{users[enterprise_staff]}/password", ENTERPRISE_ADMIN_ONLY),
        ("POST", "/enterprise/staff/{users[enterprise_staff]}/password", ENTERPRISE_ADMIN_ONLY),
        ("GET", "/enterprise/staff/{users[enterprise2_staff]}/password", NOT_OWN_STAFF),
        ("POST", "/enterprise/staff/{users[enterprise2_admin]}/password", NOT_OWN_STAFF),
    ],
    "review.home": [("GET", "/review/", REGULATOR_ONLY)],
    # The annual work report: no ids; the figures are the regulator's bureau's own
    # (tests/reports/test_annual_report.py shows bureau 2 none of bureau 1's).
    "reports.annual": [
        ("GET", "/reports/annual", REGULATOR_ONLY),
        ("GET", "/reports/annual?start=2026-02-01&end=2026-01-01",
         {**REGULATOR_ONLY, "regulator": 400}),
    ],
    "reports.annual_pdf": [("GET", "/reports/annual.pdf?start=2026-01-01&end=2026-01-31",
                            REGULATOR_ONLY)],
    "reports.annual_xlsx": [("GET", "/reports/annual.xlsx", REGULATOR_ONLY)],
    "review.list_enterprises": [("GET", "/review/enterprises", REGULATOR_ONLY)],
    "review.show_enterprise": [
        ("GET", "/review/enterprises/{enterprise_a}", REGULATOR_ONLY),
        ("GET", "/review/enterprises/{enterprise_b}", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "review.review_queue": [
        ("GET", "/review/queue", REGULATOR_ONLY),
        ("GET", "/review/queue?status=all&enterprise={enterprise_b}", REGULATOR_ONLY),
    ],
    # Decisions: bureau 1's regulator on filing_a (no version given: 409, never a blind
    # decision); bureau 2's filing, a draft and other actions are 404 for the regulator.
    "review.decide": [
        ("POST", "/review/filings/{filing_a}/approve", {**REGULATOR_ONLY, "regulator": 409}),
        ("POST", "/review/filings/{filing_a}/return", {**REGULATOR_ONLY, "regulator": 409}),
        ("POST", "/review/filings/{filing_b}/approve", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/filings/{filing_b}/reject", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/filings/{draft_a}/approve", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/filings/{filing_a}/withdraw", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/filings/999999/approve", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    # Flags: an empty note is refused (400, the page shown again); the other bureau's 404.
    "review.raise_flag": [
        ("POST", "/review/filings/{filing_a}/flags", {**REGULATOR_ONLY, "regulator": 400}),
        ("POST", "/review/filings/{filing_b}/flags", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/filings/{draft_a}/flags", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "review.clear_flag": [
        ("POST", "/review/flags/{flag_b}/clear", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/flags/999999/clear", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/review/flags/99999999999999999999/clear", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "review.export_queue": [
        ("GET", "/review/queue/export.csv?status=all", REGULATOR_ONLY),
        ("GET", "/review/queue/export.xlsx", REGULATOR_ONLY),
        ("GET", "/review/queue/export.pdf", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    # Catalogues (tests/review/test_catalogues.py repeats these with real rows).
    "review.list_claim_phrases": [
        ("GET", "/review/claim-phrases", CATALOGUE),
        ("GET", "/review/claim-phrases?category=income_promise&state=active&q=%25", CATALOGUE),
    ],
    "review.add_claim_phrase": [
        ("GET", "/review/claim-phrases/new", CATALOGUE),
        ("POST", "/review/claim-phrases/new", CATALOGUE),  # empty form: shown again
    ],
    "review.deactivate_claim_phrase": [
        ("POST", "/review/claim-phrases/999999/deactivate", CATALOGUE_MISSING),
        ("POST", "/review/claim-phrases/99999999999999999999999/deactivate", CATALOGUE_MISSING),
    ],
    "review.reactivate_claim_phrase": [
        ("POST", "/review/claim-phrases/999999/reactivate", CATALOGUE_MISSING),
    ],
    "admin.list_reasons": [
        ("GET", "/admin/reasons", ADMIN_ONLY),
        ("GET", "/admin/reasons?kind=meeting&state=inactive", ADMIN_ONLY),
    ],
    "admin.create_reason": [
        ("GET", "/admin/reasons/new", ADMIN_ONLY),
        ("POST", "/admin/reasons/new", ADMIN_ONLY),  # empty form: shown again
    ],
    "admin.edit_reason": [
        ("GET", "/admin/reasons/999999/edit", {**ADMIN_ONLY, "admin": 404}),
        ("POST", "/admin/reasons/99999999999999999999999/edit", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.deactivate_reason": [
        ("POST", "/admin/reasons/999999/deactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.reactivate_reason": [
        ("POST", "/admin/reasons/999999/reactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    # On-site supervision: the world holds no meetings, so an outlet id stands for "not a
    # meeting" and 999999 for a supervision nobody may see; regulators and inspectors are
    # answered 404, enterprises and administrators 403. tests/supervision/ repeats the routes
    # with real supervisions of both bureaus, assigned and unassigned inspectors.
    "supervision.list_supervisions": [("GET", "/supervision/", REGULATOR_ONLY),
                                      ("GET", "/supervision/?status=all&mine=1", REGULATOR_ONLY)],
    "supervision.my_supervisions": [("GET", "/supervision/mine", BUREAU_STAFF)],
    "supervision.mark": [
        ("GET", "/supervision/meetings/{filing_a}/new", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/supervision/meetings/{filing_b}/new", {**REGULATOR_ONLY, "regulator": 404}),
        ("GET", "/supervision/meetings/{draft_a}/new", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "supervision.show": [("GET", "/supervision/999999", NO_SUPERVISION)],
    "supervision.edit_staff": [
        ("GET", "/supervision/999999/staff", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/supervision/999999/staff", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "supervision.cancel": [
        ("POST", "/supervision/999999/cancel", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "supervision.sheet_pdf": [("GET", "/supervision/999999/sheet.pdf", NO_SUPERVISION)],
    "supervision.record": [
        ("GET", "/supervision/999999/record", NO_SUPERVISION),
        ("POST", "/supervision/999999/record", NO_SUPERVISION),
    ],
    "supervision.photo": [
        ("GET", "/supervision/999999/photos/{document_a}", NO_SUPERVISION),
    ],
    "inspections.home": [("GET", "/inspections/", INSPECTOR_ONLY)],
    # Spot-check plans: bureau 2's plan is 404 to bureau 1; an empty form is shown again (400);
    # drawing without the version seen is a conflict (409) for the own bureau.
    "inspections.list_plans": [("GET", "/inspections/plans", REGULATOR_ONLY)],
    "inspections.create_plan": [
        ("GET", "/inspections/plans/new", REGULATOR_ONLY),
        ("POST", "/inspections/plans/new", {**REGULATOR_ONLY, "regulator": 400}),
    ],
    "inspections.show_plan": [
        ("GET", "/inspections/plans/{plan_b}", {**REGULATOR_ONLY, "regulator": 404}),
        ("GET", "/inspections/plans/99999999999999999999", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.draw_plan": [
        ("POST", "/inspections/plans/{plan_b}/draw", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.verify_plan": [
        ("GET", "/inspections/plans/{plan_b}/verify",
         {**REGULATOR_ONLY, "regulator": 404, "inspector": 404}),
    ],
    # One spot check: the world holds no drawn plan, so 999999 is a check nobody may see
    # (regulators and inspectors 404, others 403); tests/inspections/test_checks.py repeats
    # the routes with real checks of both bureaus, assigned and unassigned inspectors.
    "inspections.show_check": [("GET", "/inspections/checks/999999", NO_SUPERVISION)],
    "inspections.record_results": [
        ("POST", "/inspections/checks/999999", {**INSPECTOR_ONLY, "inspector": 404}),
    ],
    "inspections.checklist_pdf": [
        ("GET", "/inspections/checks/999999/checklist.pdf", NO_SUPERVISION),
    ],
    "inspections.evidence": [
        ("GET", "/inspections/checks/999999/evidence/{document_a}", NO_SUPERVISION),
    ],
    "inspections.publish_check": [
        ("POST", "/inspections/checks/999999/publish", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.publication": [
        ("GET", "/inspections/publication", REGULATOR_ONLY),
        ("GET", "/inspections/publication?sort=number&show=overdue", REGULATOR_ONLY),
    ],
    # Published spot-check results are public: no sign-in; an unpublished id is 404.
    "public.list_checks": [
        ("GET", "/public/checks", {**ANY_ROLE, "anonymous": 200}),
        ("GET", "/public/checks?enterprise={enterprise_b}", {**ANY_ROLE, "anonymous": 200}),
        ("GET", "/public/checks?enterprise=999999", dict.fromkeys(ROLES, 404)),
    ],
    # The disclosure pages: the same for everyone, signed in or not (no scoping to bypass).
    "public.index": [("GET", "/public/", dict.fromkeys(ROLES, 200))],
    "public.list_enterprises": [
        ("GET", "/public/enterprises?q=%25&region=140100&status=active",
         dict.fromkeys(ROLES, 200)),
    ],
    "public.show_enterprise": [
        ("GET", "/public/enterprises/{enterprise_a}", dict.fromkeys(ROLES, 200)),
        ("GET", "/public/enterprises/{enterprise_b}", dict.fromkeys(ROLES, 200)),
        ("GET", "/public/enterprises/999999", dict.fromkeys(ROLES, 404)),
    ],
    "public.policy_document": [  # neither enterprise of the world has a policy in force
        ("GET", "/public/enterprises/{enterprise_a}/policy", dict.fromkeys(ROLES, 404)),
    ],
    "public.return_helper": [
        ("GET", "/public/returns", dict.fromkeys(ROLES, 200)),
        ("GET", "/public/returns?purchased_on=2026-01-05&requested_on=2026-01-20",
         dict.fromkeys(ROLES, 200)),
        ("GET", "/public/returns?purchased_on=2026-13-45", dict.fromkeys(ROLES, 400)),
    ],
    "public.show_check": [
        ("GET", "/public/checks/999999", dict.fromkeys(ROLES, 404)),
    ],
    # Rosters, recusals, re-draws: no ids in the roster URLs (always the user's own bureau);
    # tests/inspections/test_roster_views.py repeats them with both bureaus' rows.
    "inspections.target_roster": [
        ("GET", "/inspections/rosters/targets", REGULATOR_ONLY),
        ("GET", "/inspections/rosters/targets?kind=outlet&area=140100&q=%25&status=all&page=2",
         {**REGULATOR_ONLY, "regulator": 404}),  # area of bureau 2 ignored; no second page
        ("GET", "/inspections/rosters/targets?kind=outlet&status=revoked", REGULATOR_ONLY),
    ],
    "inspections.inspector_roster": [("GET", "/inspections/rosters/inspectors", REGULATOR_ONLY)],
    "inspections.list_recusals": [
        ("GET", "/inspections/recusals", {**BUREAU_STAFF, "admin": 200}),
        ("GET", "/inspections/recusals?state=all", {**BUREAU_STAFF, "admin": 200}),
    ],
    "inspections.declare_recusal": [
        ("GET", "/inspections/recusals/new", {**INSPECTOR_ONLY, "admin": 200}),
        ("POST", "/inspections/recusals/new", {**INSPECTOR_ONLY, "inspector": 400,
                                               "admin": 200}),  # empty form: shown again
        ("GET", "/inspections/recusals/new?inspector={users[inspector]}",
         {**INSPECTOR_ONLY, "admin": 200}),
        ("GET", "/inspections/recusals/new?inspector={users[regulator2]}",
         {**INSPECTOR_ONLY, "admin": 404}),  # not an inspector
    ],
    "inspections.withdraw_recusal": [
        ("POST", "/inspections/recusals/999999/withdraw",
         {**INSPECTOR_ONLY, "inspector": 404, "admin": 404}),
    ],
    "inspections.redraw_assignment": [
        ("GET", "/inspections/plans/{plan_b}/redraw", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/inspections/plans/{plan_b}/redraw", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    # A plan's checklists in one PDF: bureau 1's regulator cannot reach bureau 2's plan.
    "inspections.checklists": [
        ("GET", "/inspections/plans/{plan_b}/checklists", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.request_checklists": [
        ("POST", "/inspections/plans/{plan_b}/checklists",
         {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.checklists_pdf": [
        ("GET", "/inspections/plans/{plan_b}/checklists/1.pdf",
         {**REGULATOR_ONLY, "regulator": 404}),
    ],
    # Rectification notices: regulators of the issuing bureau and the party's own staff.
    "notices.list_notices": [("GET", "/notices/", {**ENTERPRISE_ONLY, "regulator": 200})],
    "notices.new": [
        ("GET", "/notices/new", REGULATOR_ONLY),
        ("POST", "/notices/new", {**REGULATOR_ONLY, "regulator": 400}),
        ("GET", "/notices/new?filing={filing_b}", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "notices.show": [("GET", "/notices/{notice_b}", NOT_THEIRS_NOTICE)],
    "notices.notice_pdf": [("GET", "/notices/{notice_b}/notice.pdf", NOT_THEIRS_NOTICE)],
    "notices.acknowledge": [
        ("POST", "/notices/{notice_b}/acknowledge", {**ENTERPRISE_ONLY, "enterprise_admin": 404,
                                                     "enterprise_staff": 404}),
    ],
    "notices.serve": [("POST", "/notices/{notice_b}/serve", {**REGULATOR_ONLY, "regulator": 404})],
    "notices.report": [("POST", "/notices/{notice_b}/report", NOT_THEIRS_ENTERPRISE_POST)],
    "notices.request_extension": [
        ("POST", "/notices/{notice_b}/extension", NOT_THEIRS_ENTERPRISE_POST)],
    "notices.evidence": [("GET", "/notices/{notice_b}/evidence/{document_a}", NOT_THEIRS_NOTICE)],
    "notices.decide_extension": [
        ("POST", "/notices/{notice_b}/extension/decide", {**REGULATOR_ONLY, "regulator": 404})],
    "notices.verify": [
        ("POST", "/notices/{notice_b}/verify", {**REGULATOR_ONLY, "regulator": 404})],
    "notices.escalate": [
        ("GET", "/notices/{notice_b}/escalate", {**REGULATOR_ONLY, "regulator": 404}),
        ("POST", "/notices/{notice_b}/escalate", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "admin.list_check_items": [
        ("GET", "/admin/check-items", ADMIN_ONLY),
        ("GET", "/admin/check-items?state=inactive", ADMIN_ONLY),
    ],
    "admin.create_check_item": [
        ("GET", "/admin/check-items/new", ADMIN_ONLY),
        ("POST", "/admin/check-items/new", ADMIN_ONLY),  # empty form: shown again
    ],
    "admin.edit_check_item": [
        ("GET", "/admin/check-items/999999/edit", {**ADMIN_ONLY, "admin": 404}),
        ("POST", "/admin/check-items/99999999999999999999999/edit", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.deactivate_check_item": [
        ("POST", "/admin/check-items/999999/deactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.reactivate_check_item": [
        ("POST", "/admin/check-items/999999/reactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.list_provisions": [
        ("GET", "/admin/provisions", ADMIN_ONLY),
        ("GET", "/admin/provisions?state=inactive", ADMIN_ONLY),
    ],
    "admin.create_provision": [
        ("GET", "/admin/provisions/new", ADMIN_ONLY),
        ("POST", "/admin/provisions/new", {**ADMIN_ONLY, "admin": 400}),  # empty: refused
    ],
    "admin.edit_provision": [
        ("GET", "/admin/provisions/999999/edit", {**ADMIN_ONLY, "admin": 404}),
        ("POST", "/admin/provisions/99999999999999999999999/edit", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.deactivate_provision": [
        ("POST", "/admin/provisions/999999/deactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.reactivate_provision": [
        ("POST", "/admin/provisions/999999/reactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.list_audit": [
        ("GET", "/admin/audit", ADMIN_ONLY),
        ("GET", "/admin/audit?action=notice.&actor=regulator&from=2026-01-01&before=999999",
         ADMIN_ONLY),
    ],
    "admin.export_audit": [("GET", "/admin/audit/export.csv?object_type=Notice", ADMIN_ONLY)],
    "admin.verify_audit": [("GET", "/admin/audit/verify", ADMIN_ONLY)],
    "admin.home": [("GET", "/admin/", ADMIN_ONLY)],
    "admin.list_bureaus": [("GET", "/admin/bureaus", ADMIN_ONLY)],
    "admin.list_enterprises": [("GET", "/admin/enterprises", ADMIN_ONLY)],
    "admin.list_users": [("GET", "/admin/users", ADMIN_ONLY)],
    "admin.create_bureau": [
        ("GET", "/admin/bureaus/new", ADMIN_ONLY),
        ("POST", "/admin/bureaus/new", ADMIN_ONLY),  # empty form: shown again with errors
    ],
    "admin.edit_bureau": [
        ("GET", "/admin/bureaus/{bureau2}/edit", ADMIN_ONLY),
        ("POST", "/admin/bureaus/{bureau2}/edit", ADMIN_REDIRECT),  # empty POST: stored values
        ("GET", "/admin/bureaus/999999/edit", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.deactivate_bureau": [
        ("POST", "/admin/bureaus/{bureau2}/deactivate", ADMIN_REDIRECT),
        ("POST", "/admin/bureaus/999999/deactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.reactivate_bureau": [("POST", "/admin/bureaus/{bureau2}/reactivate", ADMIN_REDIRECT)],
    "admin.create_enterprise": [
        ("GET", "/admin/enterprises/new", ADMIN_ONLY),
        ("POST", "/admin/enterprises/new", ADMIN_ONLY),
    ],
    "admin.show_enterprise": [
        ("GET", "/admin/enterprises/{enterprise_b}", ADMIN_ONLY),
        ("GET", "/admin/enterprises/999999", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.edit_enterprise": [
        ("GET", "/admin/enterprises/{enterprise_b}/edit", ADMIN_ONLY),
        ("POST", "/admin/enterprises/{enterprise_b}/edit", ADMIN_REDIRECT),  # stored values
    ],
    "admin.create_user": [
        ("GET", "/admin/users/new", ADMIN_ONLY),
        ("GET", "/admin/users/new?enterprise_id={enterprise_b}", ADMIN_ONLY),
        ("POST", "/admin/users/new", ADMIN_ONLY),
    ],
    "admin.edit_user": [
        ("GET", "/admin/users/{users[enterprise2_staff]}/edit", ADMIN_ONLY),
        ("POST", "/admin/users/{users[regulator2]}/edit", ADMIN_REDIRECT),
        ("GET", "/admin/users/999999/edit", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.deactivate_user": [
        ("POST", "/admin/users/{users[enterprise2_staff]}/deactivate", ADMIN_REDIRECT),
        ("POST", "/admin/users/999999/deactivate", {**ADMIN_ONLY, "admin": 404}),
    ],
    "admin.reactivate_user": [
        ("POST", "/admin/users/{users[enterprise2_staff]}/reactivate", ADMIN_REDIRECT),
    ],
    "admin.reset_password": [
        ("GET", "/admin/users/{users[regulator2]}/password", ADMIN_ONLY),
        ("POST", "/admin/users/{users[regulator2]}/password", ADMIN_ONLY),
        ("GET", "/admin/users/999999/password", {**ADMIN_ONLY, "admin": 404}),
    ],
    # Notifications: everyone has their own; the world's ids are in
    # tests/notifications/test_notification_access.py (someone else's is 404 for everyone).
    "notifications.list_notifications": [("GET", "/notifications/", ANY_SIGNED_IN)],
    "notifications.open_notification": [
        ("POST", "/notifications/999999/open", dict.fromkeys(ROLES[1:], 404)),
    ],
    "notifications.mark_all_read": [("POST", "/notifications/read", dict.fromkeys(ROLES[1:], 302))],
    "notifications.preferences": [
        ("GET", "/notifications/settings", ANY_SIGNED_IN),
        ("POST", "/notifications/settings", dict.fromkeys(ROLES[1:], 302)),
    ],
}

IGNORED = {"static", "bootstrap.static"}


def test_every_route_has_an_access_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints - set(ACCESS) == set(), "add these routes to ACCESS"
    assert set(ACCESS) - endpoints == set(), "these ACCESS entries name no route"


CASES = [
    (endpoint, method, url, role, expected.get(role, LOGIN))
    for endpoint, entries in ACCESS.items()
    for method, url, expected in entries
    for role in ROLES
]
READS = [case for case in CASES if case[1] == "GET"]
WRITES = [case for case in CASES if case[1] != "GET"]


def _ids(cases):
    return [f"{c[3]}-{c[1]}-{c[2]}" for c in cases]


def check_access(world, client, login, endpoint, method, url, role, expected):
    if role != "anonymous":
        assert login(USERNAMES[role]).status_code == 302
    url = url.format(**vars(world))
    response = client.open(url, method=method)
    assert response.status_code == expected, f"{role} {method} {url}"
    if expected == LOGIN and role == "anonymous" and endpoint not in {"core.index"}:
        assert "/auth/login" in response.headers["Location"]


class TestReads:
    """GET requests change nothing, so they share one world (built once for the class)."""

    @pytest.mark.parametrize("endpoint, method, url, role, expected", READS, ids=_ids(READS))
    def test_access(self, shared_world, client, login, endpoint, method, url, role, expected):
        check_access(shared_world, client, login, endpoint, method, url, role, expected)


@pytest.mark.parametrize("endpoint, method, url, role, expected", WRITES, ids=_ids(WRITES))
def test_access(world, client, login, endpoint, method, url, role, expected):
    check_access(world, client, login, endpoint, method, url, role, expected)
