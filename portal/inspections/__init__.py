"""Spot checks: plans, the draw, rosters, recusals and inspectors' checks.

The blueprint is in :mod:`.views`; this package imports nothing.
"""
