"""The yardstick for the intake bench: a bare Django POST on the same machine, server and database.

What a plain Django service for a 311-style POST does at the least: Django's default request handling with the
security and common middleware, the JSON body parsed and checked, one INSERT of the request into a table of
PostgreSQL, and a JSON answer with its id, 201. No authentication, no throttling, no deadlines, no routing, no
events, no notifications: everything Suban's intake does beyond that is left out, so the figure is an upper
bound for a Django server on this machine, taken under the same gunicorn and load generator as Suban's intake.

Served by bench/api_intake.py as `gunicorn bare_post:application --chdir bench` with BARE_POST_DATABASE_URL.
"""

from __future__ import annotations

import json
import os

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bare-post-bench"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"],
    INSTALLED_APPS=[],
    DATABASES={"default": dj_database_url.parse(os.environ["BARE_POST_DATABASE_URL"], conn_max_age=60)},
    USE_TZ=True,
)

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bare_post_request (id bigserial PRIMARY KEY, title varchar(200) NOT NULL, "
    "description text NOT NULL, lon double precision, lat double precision, phone varchar(32) NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now())"
)


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@csrf_exempt
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    try:
        body = json.loads(request.body)
    except ValueError:
        return _error("not JSON")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        return _error("title")
    lon, lat = body.get("longitude"), body.get("latitude")
    if not all(v is None or isinstance(v, int | float) for v in (lon, lat)):
        return _error("position")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bare_post_request (title, description, lon, lat, phone)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            [title, str(body.get("text") or ""), lon, lat, str(body.get("contact_phone") or "")[:32]],
        )
        (new_id,) = cursor.fetchone()
    return JsonResponse({"id": new_id, "status": "open"}, status=201)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("healthz", healthz), path("api/cases", submit)]


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA)


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bare_post_request")
        return int(cursor.fetchone()[0])


application = get_wsgi_application()

if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["create"]:
        create_table()
    elif sys.argv[1:] == ["count"]:
        print(count())
