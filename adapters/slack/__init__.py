"""Slack: slack-bolt's AsyncApp on /slack/events (or Socket Mode), Block Kit out, neutral events in."""
