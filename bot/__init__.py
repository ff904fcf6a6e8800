"""Cultivate's platform-neutral core: the event and message model, router, conversations and scheduler."""
