"""Service outlets (服务网点): enterprise staff register them; regulators review them.

The blueprint is ``portal.outlets.views.bp``.
"""
