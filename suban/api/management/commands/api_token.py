from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.accounts.models import User
from suban.api.models import ApiToken
from suban.api.services import normalize_prefix, token_create, token_revoke
from suban.errors import DomainError

DEFAULT_DAYS = 365


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. `create` prints the key as its last line; it is shown only once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        create = sub.add_parser("create", help="create a token for an account")
        create.add_argument("--user", required=True, help="the account's user name")
        create.add_argument("--name", required=True, help="what uses the token, e.g. the city platform")
        create.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"valid this many days (default {DEFAULT_DAYS}; 0: never expires)",
        )
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("--user", help="only this account's")

    def handle(self, *args: Any, command: str, **opts: Any) -> None:
        try:
            getattr(self, f"_{command}")(**opts)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _create(self, *, user: str, name: str, days: int, **_opts: Any) -> None:
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"There is no account {user}.")
        token, key = token_create(by=None, user=account, name=name, days=days or None)
        expiry = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
        self.stdout.write(f"Created token {token.prefix} ({token.name}) for {account.username}, {expiry}.")
        self.stdout.write("The key is shown only now; keep it secret:")
        self.stdout.write(key)

    def _revoke(self, *, prefix: str, **_opts: Any) -> None:
        token = ApiToken.objects.select_related("user").filter(prefix=normalize_prefix(prefix)).first()
        if token is None:
            raise CommandError(f"There is no token {prefix}.")
        if token.revoked:
            raise CommandError(f"Token {token.prefix} is already revoked.")
        token_revoke(by=None, token=token)
        self.stdout.write(f"Revoked token {token.prefix} ({token.name}) of {token.user.username}.")

    def _list(self, *, user: str | None = None, **_opts: Any) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if user:
            tokens = tokens.filter(user__username=user)
        for t in tokens:
            state = "revoked" if t.revoked else (f"expires {t.expires_at:%Y-%m-%d}" if t.expires_at else "no expiry")
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(f"{t.prefix}  {t.user.username}  {t.name}  {state}  last used {used}")
