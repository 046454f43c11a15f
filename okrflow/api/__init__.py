"""The public REST API v1 (/api/v1/) and the personal access tokens that open it."""
