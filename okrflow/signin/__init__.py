"""Signing in: email-or-username sign-in, invitations, password reset and change, single sign-on."""
