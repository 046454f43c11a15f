"""The test provider's client and users, shared by its setup and the tests."""

from __future__ import annotations

CLIENT_ID = "okrflow-test-client"
CLIENT_SECRET = "okrflow-test-client-secret"
PASSWORD = "provider-password-7"
# username, email, name (a last name "unverified" makes the provider say email_verified false)
USERS = [
    ("lan", "lan.nguyen@saoviet.example", "Nguyễn Thị Lan", ""),
    ("stranger", "minh.tran@saoviet.example", "Trần Văn Minh", ""),
    ("gone", "former@saoviet.example", "Former Colleague", ""),
    ("elsewhere", "someone@elsewhere.example", "Someone Else", ""),
    ("unchecked", "unchecked@saoviet.example", "Not Checked", "unverified"),
]
