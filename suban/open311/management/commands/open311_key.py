from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.errors import DomainError
from suban.open311.keys import key_create, key_revoke, normalize_prefix
from suban.open311.models import ApiKey


class Command(BaseCommand):
    help = "Create, list or revoke Open311 API keys. `create` prints the key as its last line; it is shown only once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        create = sub.add_parser("create", help="create a key for a client")
        create.add_argument("--name", required=True, help="the client, e.g. the city's app")
        create.add_argument("--rate", default="60/min", help="its rate limit (default 60/min)")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="list keys (never the keys themselves)")

    def handle(self, *args: Any, command: str, **opts: Any) -> None:
        try:
            getattr(self, f"_{command}")(**opts)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _create(self, *, name: str, rate: str, **_opts: Any) -> None:
        row, key = key_create(by=None, name=name, rate_limit=rate)
        self.stdout.write(f"Created Open311 key {row.prefix} ({row.name}), rate limit {row.rate_limit}.")
        self.stdout.write("The key is shown only now; keep it secret:")
        self.stdout.write(key)

    def _revoke(self, *, prefix: str, **_opts: Any) -> None:
        row = ApiKey.objects.filter(prefix=normalize_prefix(prefix)).first()
        if row is None:
            raise CommandError(f"There is no key {prefix}.")
        if not row.active:
            raise CommandError(f"Key {row.prefix} is already revoked.")
        key_revoke(by=None, key=row)
        self.stdout.write(f"Revoked Open311 key {row.prefix} ({row.name}).")

    def _list(self, **_opts: Any) -> None:
        for row in ApiKey.objects.order_by("created_at"):
            state = "active" if row.active else "revoked"
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            self.stdout.write(f"{row.prefix}  {row.name}  {state}  {row.rate_limit}  last used {used}")
