"""Email as a platform of the outbound queue: the digest's copies and verification codes go out by SMTP."""
