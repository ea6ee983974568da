from django.urls import path

from kompeten.participation.views import (
    attendance,
    batch_edit,
    enrolment,
    held,
    home,
    incentives,
    jp,
)

app_name = "participation"

urlpatterns = [
    path("notifikasi/", home.notifications, name="notifications"),
    path("notifikasi/baca/", home.notifications_read, name="notifications_read"),
    path("undangan/", enrolment.invitations, name="invitations"),
    path("undangan/<int:pk>/terima/", enrolment.accept, name="accept"),
    path("undangan/<int:pk>/tolak/", enrolment.decline, name="decline"),
    path("peserta/", enrolment.enrolment_list, name="enrolment_list"),
    path("peserta/ekspor.xlsx", enrolment.enrolment_export, name="enrolment_export"),
    path("peserta/<int:pk>/", enrolment.enrolment_detail, name="enrolment_detail"),
    path("angkatan/<int:pk>/peserta/", held.batch_participants, name="batch_participants"),
    path("angkatan/<int:pk>/peserta/cari/", held.participant_search, name="participant_search"),
    path("angkatan/<int:pk>/peserta/tambah/", held.participant_add, name="participant_add"),
    path("angkatan/<int:pk>/ubah/", batch_edit.batch_edit, name="batch_edit"),
    path("sesi/", attendance.session_list, name="session_list"),
    path("sesi/<int:pk>/qr/", attendance.qr_screen, name="qr_screen"),
    path("sesi/<int:pk>/qr.svg", attendance.qr_svg, name="qr_svg"),
    path("sesi/<int:pk>/hadir.json", attendance.attendance_count, name="attendance_count"),
    path("sesi/<int:pk>/hadir/", attendance.check_in, name="check_in"),
    path("sesi/<int:pk>/presensi/", attendance.roll_call, name="roll_call"),
    path("jp/", jp.jp_dashboard, name="jp_dashboard"),
    path("jp/ekspor.xlsx", jp.jp_export, name="jp_export"),
    path("jp/saya/", jp.my_jp, name="my_jp"),
    path("jp/sertifikat-eksternal/", jp.upload_external, name="upload_external"),
    path("jp/pemeriksaan/", jp.review_list, name="review_list"),
    path("jp/pemeriksaan/<int:pk>/", jp.review, name="review"),
    path("jp/berkas/<int:pk>/", jp.external_file, name="external_file"),
    path("insentif/", incentives.incentives, name="incentives"),
    path("insentif/kebijakan/", incentives.policy_edit, name="policy_edit"),
    path("insentif/lencana/", incentives.award_badges, name="award_badges"),
    path("insentif/ekspor.xlsx", incentives.recognition_export, name="recognition_export"),
    path("sertifikat/<str:number>.pdf", incentives.certificate_pdf, name="certificate_pdf"),
]
