from ninja import NinjaAPI

api = NinjaAPI(title="Saohei API", version="1", urls_namespace="api")
