from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy


class SubanAdminConfig(AdminConfig):
    default_site = "suban.adminsite.SubanAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes under a name the security admin reads in the admin's list ("Axes" says nothing)."""

    verbose_name = gettext_lazy("Login lockouts")
