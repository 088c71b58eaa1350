import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.accounts.roles import AdminRole
from suban.accounts.services import staff_create
from suban.errors import DomainError
from suban.org.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Create one of the three admin accounts (system, security, audit). Superusers do not exist here."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r for r in AdminRole.values if r])
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--password-env", default="SUBAN_ADMIN_PASSWORD", help="read the password from this variable"
        )

    def handle(self, *args: Any, username: str, role: str, name: str, password_env: str, **opts: Any) -> None:
        password = os.environ.get(password_env) or getpass.getpass("Password: ")
        district = Unit.objects.filter(kind=UnitKind.DISTRICT, parent=None).first()
        try:
            user = staff_create(
                by=None, username=username, name=name or username, unit=district, password=password, admin_role=role
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created {user.username} ({AdminRole(role).label}).")
