from django.urls import path

from kompeten.evaluation.views import answer, costs, instruments, programme, scoring

app_name = "evaluation"

urlpatterns = [
    path("program/<int:pk>/", programme.programme_evaluation, name="programme"),
    path("program/<int:pk>/instrumen/", instruments.instrument_list, name="instruments"),
    path("program/<int:pk>/manfaat/", costs.add_benefit, name="add_benefit"),
    path("program/<int:pk>/estimasi/", costs.add_estimate, name="add_estimate"),
    path("instrumen/<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path("isi/<int:pk>/", answer.answer, name="answer"),
    path("koreksi/<int:pk>/", scoring.mark, name="mark"),
    path("simulasi/<int:batch_pk>/<int:module_pk>/", scoring.simulation, name="simulation"),
    path("biaya-per-jam/", costs.hourly_costs, name="hourly_costs"),
]
