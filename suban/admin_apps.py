from django.contrib.admin.apps import AdminConfig


class SubanAdminConfig(AdminConfig):
    default_site = "suban.adminsite.SubanAdminSite"
