"""A pytest plugin loaded before Django's settings (`-p saohei.testing.env` in pyproject.toml).

It gives the test run its own keys and the in-request task backend, and keeps a developer's .env
out of the tests.
"""

import os

os.environ["SAOHEI_ENV_FILE"] = "/nonexistent"
os.environ.setdefault("SAOHEI_SECRET_KEY", "test-secret-key-not-for-production-000000000000")
os.environ.setdefault("SAOHEI_IDENTITY_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
os.environ.setdefault("SAOHEI_RECEIPT_KEY", "test-receipt-key")
os.environ["SAOHEI_PORTAL_DRAIN_EVERY"] = "0"  # in-request tasks: register each submission at once
os.environ["SAOHEI_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
