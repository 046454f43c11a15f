"""A tiny, real OpenID provider (django-oauth-toolkit) that the single sign-on tests start."""
