"""Write .env from .env.example with fresh random keys, unless .env exists."""

from __future__ import annotations

import base64
import secrets
import sys
from pathlib import Path

target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if target.exists():
    sys.exit(0)
text = Path(".env.example").read_text(encoding="utf-8")
values = {
    "SAOHEI_SECRET_KEY": secrets.token_urlsafe(50),
    "SAOHEI_IDENTITY_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"),
    "SAOHEI_RECEIPT_KEY": secrets.token_urlsafe(32),
}
lines = []
for line in text.splitlines():
    key = line.split("=", 1)[0]
    lines.append(f"{key}={values[key]}" if key in values and line.strip() == f"{key}=" else line)
target.write_text("\n".join(lines) + "\n", encoding="utf-8")
target.chmod(0o600)
print(f"Wrote {target} with new random keys.")
