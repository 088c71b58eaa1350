"""What each audit action code means, in words the audit admin reads; the codes stay what is stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "login": _("Logged in"),
    "logout": _("Logged out"),
    "login.failed": _("Failed log-in"),
    "login.locked_out": _("Locked out after failed log-ins"),
    "login.attack": _("Many failed log-ins on one account"),
    "login.alert_end": _("Log-in alert ended"),
    "account.create": _("Staff account created"),
    "account.citizen_create": _("Citizen account created"),
    "account.update": _("Account changed"),
    "account.roles": _("Work roles changed"),
    "account.admin_role": _("Admin role changed"),
    "account.password": _("Password set"),
    "account.enable": _("Account enabled"),
    "account.disable": _("Account disabled"),
    "admin.add": _("Added in the admin"),
    "admin.change": _("Changed in the admin"),
    "admin.delete": _("Deleted in the admin"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "open311_key.create": _("Open311 key created"),
    "open311_key.revoke": _("Open311 key revoked"),
    "assessment.rule_out": _("Case ruled out of the assessment"),
    "assessment.withdraw_ruling": _("Assessment ruling withdrawn"),
    "audit.purge": _("Old audit entries purged"),
    "audit.key_adopted": _("Audit key adopted"),
    "calendar.notice": _("Holiday notice entered"),
    "case.contact_reveal": _("Complainant's phone number shown"),
    "catalogue.load": _("Matter catalogue loaded"),
    "citysync.replay": _("City platform pushes sent again"),
    "demo.reset": _("Demo data removed"),
    "demo.seed": _("Demo data loaded"),
    "exchange.export": _("Work orders exported"),
    "exchange.import": _("Work orders imported"),
    "exchange.mapping_save": _("Column mapping saved"),
    "exchange.source_create": _("Work-order source created"),
    "knowledge.create": _("Knowledge article written"),
    "knowledge.import": _("Knowledge articles imported"),
    "knowledge.export": _("Knowledge articles exported"),
    "knowledge.edit": _("Knowledge article draft changed"),
    "knowledge.submit": _("Knowledge article submitted for review"),
    "knowledge.publish": _("Knowledge article published"),
    "knowledge.send_back": _("Knowledge article sent back"),
    "knowledge.revise": _("New version of a knowledge article begun"),
    "knowledge.discard": _("Revision of a knowledge article discarded"),
    "knowledge.retire": _("Knowledge article retired"),
    "knowledge.restore": _("Knowledge article published again"),
    "masterdata.export": _("Master data exported"),
    "outbox.retry": _("Failed messages sent again"),
    "responsibility.set": _("Responsibility list entry set"),
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.move": _("Unit moved"),
    "unit.deactivate": _("Unit deactivated"),
    "unit.boundary": _("Grid boundary set"),
    "unit.contact": _("Unit contact set"),
}


def action_label(code: str) -> str:
    """The words for an action code; an unknown code is shown as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
