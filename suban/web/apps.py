from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "suban.web"
    label = "web"
