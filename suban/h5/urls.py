from django.urls import URLPattern, URLResolver, path

from suban.h5.views import answers, convenience, files, home, login, mediation, refusals, requests
from suban.nul import answer_nul_with

app_name = "h5"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("login/", login.login_page, name="login"),
    path("logout/", login.logout_view, name="logout"),
    path("new/", requests.submit, name="submit"),
    path("submitted/<str:number>/", requests.submitted, name="submitted"),
    path("mine/", requests.my_requests, name="mine"),
    path("mine/<str:number>/", requests.case_detail, name="case"),
    path("mine/<str:number>/timeline/", requests.case_timeline, name="timeline"),
    path("mine/<str:number>/add-info/", requests.add_info, name="add_info"),
    path("mine/<str:number>/rate/", requests.rate, name="rate"),
    path("services/", convenience.services, name="services"),
    path("services/<int:pk>/", convenience.service, name="service"),
    path("answers/", answers.answers, name="answers"),
    path("answers/suggest/", answers.suggest, name="answer_suggest"),
    path("answers/<int:pk>/", answers.answer, name="answer"),
    path("answers/<int:pk>/helped/", answers.helped, name="answer_helped"),
    path("answers/<int:pk>/not-helpful/", answers.not_helpful, name="answer_not_helpful"),
    path("mediation/", mediation.my_disputes, name="mediation"),
    path("mediation/apply/", mediation.apply, name="mediation_apply"),
    path("mediation/<str:number>/", mediation.dispute_detail, name="dispute"),
    path("mediation/<str:number>/agreement.pdf", mediation.dispute_agreement, name="dispute_agreement"),
    path("files/<int:pk>/", files.attachment, name="file"),
    path("grids.geojson", files.grids_geojson, name="grids"),
]

# A NUL anywhere in a request is refused in the H5's own look.
for pattern in urlpatterns:
    if isinstance(pattern, URLPattern):
        answer_nul_with(pattern.callback, refusals.nul_refused)
