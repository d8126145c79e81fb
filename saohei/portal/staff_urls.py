"""Workbench side of the portal: answering reporters and downloading their files.

The lead mounts this at /clues/messages/ (workbench only)."""

from django.urls import path

from saohei.portal import staff_views

urlpatterns = [
    path("<int:clue_pk>/send/", staff_views.clue_message_send, name="clue-message-send"),
    path("attachments/<int:pk>/", staff_views.attachment_download, name="attachment-download"),
]
