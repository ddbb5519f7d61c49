"""The public disclosure pages (no sign-in): published spot-check results for now."""
