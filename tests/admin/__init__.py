"""Tests of the administrator pages."""
