from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "suban.audit"
    label = "audit"
