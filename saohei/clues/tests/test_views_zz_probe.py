from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from saohei.clues.tests.helpers import receive, to_concluded, FIVE_CHIEFS
from saohei.clues import services


def test_probe(client, org, city_director, clerk):
    for i in range(12):
        receive(org, subject=f"线索{i}")
    client.force_login(city_director)
    client.get(reverse("clue-ledger"))
    with CaptureQueriesContext(connection) as q:
        r = client.get(reverse("clue-ledger") + "?per_page=10")
    for x in q.captured_queries: print(x["sql"][:150])
    open("/tmp/clueviews_stub/ledger.html","w").write(r.content.decode())
    c = to_concluded(org, receive(org))
    for u in FIVE_CHIEFS[:2]:
        services.clue_sign(clue=c, actor=org.users[u])
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as q:
        r = client.get(reverse("clue-detail", kwargs={"pk": c.pk}))
    print("detail queries", len(q.captured_queries))
    open("/tmp/clueviews_stub/detail.html","w").write(r.content.decode())
