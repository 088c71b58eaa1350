from django.urls import path

from suban.console.views import case, dispatch, home, inbox, intel, knowledge, pickers

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("dispatch/", dispatch.dispatch_centre, name="dispatch"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/export.xlsx", inbox.inbox_export, name="inbox_export"),
    path("cases/<str:number>/", case.case_page, name="case"),
    path("cases/<str:number>/act/<str:action>/", case.act, name="act"),
    path("cases/<str:number>/map.json", case.case_map_data, name="case_map"),
    path("attachments/<int:pk>/", case.attachment, name="attachment"),
    path("hotspots/", intel.hotspots, name="hotspots"),
    path("seasonal/", intel.seasonal, name="seasonal"),
    path("knowledge/", knowledge.article_list, name="knowledge"),
    path("knowledge/new/", knowledge.article_new, name="knowledge_new"),
    path("knowledge/figures/", knowledge.article_figures, name="knowledge_figures"),
    path("knowledge/export.xlsx", knowledge.article_export, name="knowledge_export"),
    path("knowledge/import/", knowledge.article_import, name="knowledge_import"),
    path("knowledge/<int:pk>/", knowledge.article_page, name="knowledge_article"),
    path("knowledge/<int:pk>/edit/", knowledge.article_edit, name="knowledge_edit"),
    path("knowledge/<int:pk>/<str:step>/", knowledge.article_step, name="knowledge_step"),
    path("knowledge/from-case/<str:number>/", knowledge.from_case, name="knowledge_from_case"),
    path("pick/units/", pickers.pick_units, name="pick_units"),
    path("pick/matters/", pickers.pick_matters, name="pick_matters"),
]
