from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "suban.cases"
    label = "cases"
