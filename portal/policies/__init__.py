"""Return and exchange policies (退换货制度): enterprises file versions; regulators review them.

The blueprints are ``portal.policies.views.bp`` (the enterprise's pages) and
``portal.policies.views.versions_bp`` (the comparison of two versions, for every role).
"""
