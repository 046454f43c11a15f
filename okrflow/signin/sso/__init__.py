"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by environment variables."""
