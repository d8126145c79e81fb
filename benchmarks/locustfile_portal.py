"""Locust: public-portal submissions (open the form, send the report, read the receipt)."""

from __future__ import annotations

from locust import HttpUser, task
from locust.exception import RescheduleTask

from benchmarks.portal_server import KEY_RE, RECEIPT_RE


class Reporter(HttpUser):
    @task
    def submit(self) -> None:
        form = self.client.get("/submit/?place=420103", name="GET /submit/")
        key = KEY_RE.search(form.text)
        if key is None:
            raise RescheduleTask()
        data = {"place": "420103", "idempotency_key": key.group(1),
                "content": "民族街有人强迫商户购买酒水，不从者遭殴打，已持续半年。", "subject": "",
                "persons": "万某", "location_text": "民族街", "when": "近期", "protection": "unknown",
                "protectors": "", "evidence": "", "identity": "anonymous", "name": "", "contact": "",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post("/submit/", data=data, name="POST /submit/ (receipt)", catch_response=True,
                              headers={"Referer": f"{self.host}/submit/"}) as response:
            if response.status_code != 200 or not RECEIPT_RE.search(response.text):
                response.failure(f"no receipt (HTTP {response.status_code})")
