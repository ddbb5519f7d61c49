"""Trainers (直销培训员): enterprise staff file them; regulators review them; meetings list them.

The blueprint is ``portal.trainers.views.bp``.
"""
