from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "suban.org"
    label = "org"
