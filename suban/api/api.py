"""The REST API: one NinjaAPI, its authentication, throttles, routers and the one error format."""

from __future__ import annotations

from ninja import NinjaAPI

from suban.api.auth import SessionCookieAuth, TokenAuth
from suban.api.errors import register_error_handlers
from suban.api.routers import actions, cases, catalogue, lifecycle, me, org
from suban.api.throttles import reads

DESCRIPTION = """The case engine of Suban (接诉即办) over HTTP.

Authenticate with the console's session (send the CSRF token for unsafe methods) or with an API token:
`Authorization: Bearer <key>` (`python manage.py api_token create --user NAME --name PURPOSE`).

Every error has one shape: `{"error": {"code", "message", "field", "details"}}`. `message` is written for
people, in the language of the request (Chinese unless the language cookie `django_language` chooses `en`),
and names the field it is about; `field` gives that field's name in the API. A request the schema refuses
answers 400 with code `invalid` and, in `details`, one `{"field", "message", "type"}` per problem (`type` is
pydantic's error type, e.g. `missing`, `string_too_long`). A case outside your reach
answers 404, exactly as one that does not exist. Case actions take the `version` you last saw and answer 409
when the case has changed since.
"""

api = NinjaAPI(
    title="Suban API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionCookieAuth()],
    throttle=[reads],
)
register_error_handlers(api)
api.add_router("/cases", cases.router)
api.add_router("/cases", actions.router)
api.add_router("/matters", catalogue.router)
api.add_router("/units", org.router)
api.add_router("", me.router)
api.add_router("", lifecycle.router)
api.add_router("/auth", "suban.api.routers.auth.router")
api.add_router("/exchange", "suban.api.routers.exchange.router")
api.add_router("/citysync", "suban.api.routers.citysync.router")
api.add_router("", "suban.api.routers.intel.router")
api.add_router("/assessment", "suban.api.routers.assessment.router")
api.add_router("/dashboard", "suban.api.routers.dashboard.router")
api.add_router("/knowledge", "suban.api.routers.knowledge.router")
api.add_router("/mediation", "suban.api.routers.mediation.router")
