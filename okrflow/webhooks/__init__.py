"""Outgoing webhooks: signed JSON, Slack or Teams messages for the changes the audit trail records."""
