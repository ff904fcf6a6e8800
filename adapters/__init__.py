"""Adapters: one package per platform, each a translator between the platform and the core model."""
