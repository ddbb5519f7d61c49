"""On-site supervision of training meetings (现场监督): bureau staff plan it, go, and record.

The blueprint is ``portal.supervision.views.bp`` (under ``/supervision``).
"""
