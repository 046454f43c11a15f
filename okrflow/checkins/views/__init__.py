"""The check-in pages: my check-in, history, team, one check-in, 1:1, compliance."""
