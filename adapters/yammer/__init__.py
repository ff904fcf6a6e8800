"""Yammer / Viva Engage: REST v1 polled on a shared request budget, plain text out, neutral events in."""
