"""System administration: bureaus, enterprises, users, review reasons.

The blueprint is in :mod:`.views`; this package imports nothing, so its operations and forms
can be used without loading the views.
"""
