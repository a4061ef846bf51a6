from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "culturehub.accounts"
    label = "accounts"
    verbose_name = "Accounts"
