from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "suban.demo"
    label = "demo"
