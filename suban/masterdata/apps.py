from django.apps import AppConfig


class MasterdataConfig(AppConfig):
    name = "suban.masterdata"
    label = "masterdata"
