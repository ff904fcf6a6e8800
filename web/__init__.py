"""The community's web pages: rendered on the server, signed in to from chat, served by `cultivate serve` under
/c/<community-slug>/ (mounted by the web routine, flows/web_access.py)."""
