"""Training meetings (培训会议登记): enterprises file them ahead; regulators review them.

The blueprints are ``portal.meetings.views.bp`` (the enterprise's pages, under
``/enterprise/meetings``) and ``portal.meetings.feed.bp`` (the public calendar feed, under
``/calendar``).
"""
