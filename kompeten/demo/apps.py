from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kompeten.demo"
    label = "demo"
