from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "suban.accounts"
    label = "accounts"
