"""Tests of the enterprise area."""
