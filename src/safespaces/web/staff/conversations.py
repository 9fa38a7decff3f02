"""Conversation threads: who wrote to us lately, one thread in full, and a staff reply.

Correspondents appear by a pseudonymous label; the thread page shows a masked number only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.conversations.labels import (
    COMMAND_LABELS,
    caller_label,
    channel_label,
    command_label,
    language_label,
    masked_phone,
)
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.conversations.staff_actions import (
    MAX_REPLY_CHARS,
    ReplyRefused,
    latest_inbound,
    read_conversation,
    reply_refusal,
    reply_to_conversation,
)
from safespaces.conversations.thread import thread_page
from safespaces.web.staff.account import signed_in_staff

READ = "conversations.read_conversation"
REPLY = "conversations.reply_conversation"
PAGE_SIZE = 50


class CommandFilterForm(forms.Form):
    command = forms.ChoiceField(
        label=gettext_lazy("Correspondents who sent"),
        required=False,
        choices=[("", gettext_lazy("Any message")), *COMMAND_LABELS.items()],
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Reply"),
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "id": "reply-text"}),
        help_text=gettext_lazy(
            "Sent through the gateway and channel of the latest message from this number."
        ),
    )


def correspondents(command: str) -> QuerySet[Correspondent]:
    """Correspondents with a kept message (of `command`, if given), the latest first."""
    latest = InboundMessage.objects.filter(correspondent=OuterRef("pk")).order_by(
        "-received_at", "-pk"
    )
    matching = InboundMessage.objects.filter(correspondent=OuterRef("pk"))
    if command:
        matching = matching.filter(command=command)
    return (
        Correspondent.objects.only("pk", "language", "last_message_at")
        .filter(Exists(matching))
        .annotate(
            last_command=Subquery(latest.values("command")[:1]),
            last_channel=Subquery(latest.values("channel")[:1]),
        )
        .order_by("-last_message_at", "-pk")
    )


def list_row(correspondent: Any) -> dict[str, Any]:
    return {
        "pk": correspondent.pk,
        "label": caller_label(correspondent.pk),
        "last_message_at": correspondent.last_message_at,
        "command": command_label(correspondent.last_command),
        "command_key": correspondent.last_command,
        "channel": channel_label(correspondent.last_channel),
        "language": language_label(correspondent.language),
    }


@never_cache
@permission_required(READ, raise_exception=True)
def conversation_list_view(request: HttpRequest) -> HttpResponse:
    filters = CommandFilterForm(request.GET or None)
    command = filters.cleaned_data["command"] if filters.is_valid() else ""
    page = Paginator(correspondents(command), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "command": command,
        "page": page,
        "rows": [list_row(correspondent) for correspondent in page.object_list],
    }
    return render(request, "staff/conversations/list.html", context)


def page_number(request: HttpRequest) -> int:
    wanted = request.GET.get("page", "1")
    return int(wanted) if wanted.isdigit() and 0 < len(wanted) < 6 else 1


def render_thread(
    request: HttpRequest, correspondent: Correspondent, form: ReplyForm | None
) -> HttpResponse:
    """The thread page; opening it is recorded in the audit log, every time."""
    read_conversation(correspondent, signed_in_staff(request))
    latest = latest_inbound(correspondent)
    may_reply = request.user.has_perm(REPLY)
    refusal = reply_refusal(correspondent, latest) if may_reply else None
    context = {
        "correspondent": correspondent,
        "label": caller_label(correspondent.pk),
        "masked_phone": masked_phone(correspondent.phone or ""),
        "language": language_label(correspondent.language),
        "thread": thread_page(correspondent, page_number(request)),
        "latest_channel": channel_label(latest.channel) if latest else "",
        "latest_gateway": latest.gateway if latest else "",
        "may_reply": may_reply,
        "refusal": refusal,
        "form": form if form is not None else ReplyForm(),
    }
    return render(request, "staff/conversations/thread.html", context)


@never_cache
@permission_required(READ, raise_exception=True)
def conversation_view(request: HttpRequest, pk: int) -> HttpResponse:
    correspondent = get_object_or_404(Correspondent, pk=pk)
    return render_thread(request, correspondent, None)


@never_cache
@require_POST
@permission_required((READ, REPLY), raise_exception=True)
def conversation_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    correspondent = get_object_or_404(Correspondent, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply_to_conversation(
                correspondent, form.cleaned_data["text"], signed_in_staff(request)
            )
        except ReplyRefused as refused:
            form.add_error("text", str(refused))
        else:
            messages.success(request, _("Your reply is queued to be sent."))
            return redirect("staff:conversation", pk=correspondent.pk)
    return render_thread(request, correspondent, form)


urlpatterns: list[URLPattern] = [
    path("conversations/", conversation_list_view, name="conversations"),
    path("conversations/<int:pk>/", conversation_view, name="conversation"),
    path("conversations/<int:pk>/reply/", conversation_reply_view, name="conversation_reply"),
]
