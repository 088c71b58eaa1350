"""Django's flush, which the audit log's triggers would refuse (they forbid emptying it): in development and
in the tests' teardown it lifts them for its own transaction; with DEBUG off it refuses."""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DatabaseError, connections

from suban.audit.guard import guard_lifted


class Command(flush.Command):
    help = flush.Command.help + " Empties the audit log too: only in development (DEBUG on)."

    def handle(self, **options: Any) -> None:
        if not settings.AUDIT_LOG_FLUSHABLE:
            raise CommandError(
                "flush would erase the audit log, which is kept (等保) and which the database refuses to empty: "
                "refused with DEBUG off."
            )
        connection = connections[options["database"]]
        if options["interactive"]:
            confirm = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{connection.settings_dict["NAME"]}" database, '
                "the audit log included.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
        try:
            with guard_lifted(connection):
                super().handle(**{**options, "interactive": False})
        except DatabaseError as exc:
            raise CommandError(
                f"The audit log's protecting triggers could not be lifted ({exc}); on PostgreSQL only the owner of "
                "its tables may (the role that ran migrate)."
            ) from exc
