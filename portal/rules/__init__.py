"""Pure domain rules: no Flask request, no database session."""
