"""Regulator area: the dashboard, the review queue, decisions, flags and exports.

The blueprint is in :mod:`.views`; this package imports nothing, so its modules can be used
without loading the views (and the admin forms they share).
"""
