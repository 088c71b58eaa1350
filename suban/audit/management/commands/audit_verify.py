from typing import Any

from django.core.management.base import BaseCommand, CommandError

from suban.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exits non-zero at the first entry that was changed or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_verify()
        if broken is not None:
            raise CommandError(f"The audit chain breaks at entry {broken.pk} ({broken}) after {checked} good entries.")
        self.stdout.write(f"The audit chain is whole: {checked} entries.")
