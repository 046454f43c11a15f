"""The pages of signing in."""
