"""Rectification notices (责令改正通知书): issue, serve, and the notice PDF."""
