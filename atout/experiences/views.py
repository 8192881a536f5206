from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atout.accounts.models import User

from . import services
from .charts import skills_bar_chart
from .forms import ChatAnswerForm, ExperienceCardForm
from .highlight import highlighted
from .models import Kind
from .selectors import get_chat_for_user, get_experience_for_user, open_chat, portfolio_counts


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def portfolio(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    counts = portfolio_counts(user=user)
    context = {
        "experiences": user.experiences.prefetch_related("skills__skill"),
        "counts": counts,
        "chart": skills_bar_chart(counts),
        "open_chat": open_chat(user=user),
    }
    return render(request, "experiences/portfolio.html", context)


@require_POST
def chat_new(request: HttpRequest) -> HttpResponse:
    session = open_chat(user=_user(request))
    if session is None:
        session = services.chat_start(owner=_user(request), lang=request.LANGUAGE_CODE).session
    return redirect("experiences:chat", session.pk)


def chat(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversation; with htmx, an answer swaps in only the messages and the form."""
    session = get_chat_for_user(user=_user(request), pk=pk)
    form = ChatAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.chat_answer(session=session, text=form.cleaned_data["text"])
        except services.InputError as error:
            messages.error(request, error.message)
            status = error.status
        if session.finished and session.experience_id and not request.htmx:  # type: ignore[attr-defined]
            return redirect("experiences:card", session.experience_id)
        if not request.htmx and status == 200:  # type: ignore[attr-defined]
            return redirect("experiences:chat", session.pk)
        form = ChatAnswerForm()
    chat_messages = list(session.messages.all())
    last = chat_messages[-1] if chat_messages else None
    context = {
        "session": session,
        "chat_messages": chat_messages,
        "form": form,
        # The first question offers one-tap answers for people who write little.
        "quick_kinds": Kind.choices if last is not None and last.question_id == "kind" else [],
    }
    template = "experiences/_chat.html" if request.htmx else "experiences/chat.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def card(request: HttpRequest, pk: int) -> HttpResponse:
    experience = get_experience_for_user(user=_user(request), pk=pk)
    links = list(experience.skills.select_related("skill", "experience"))
    # Before the first save every detected skill is ticked; afterwards, what the person kept.
    kept = [link.skill.code for link in links if link.confirmed]
    initial = {"confirmed": kept or [link.skill.code for link in links]}
    form = ExperienceCardForm(request.POST or None, instance=experience, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        codes = list(form.cleaned_data["confirmed"])
        if form.cleaned_data["add"]:
            codes.append(form.cleaned_data["add"].code)
        services.experience_confirm_skills(experience=experience, codes=codes)
        messages.success(request, _("Ton expérience est enregistrée."))
        return redirect("experiences:card", experience.pk)
    context = {
        "experience": experience,
        "links": links,
        "narrative": highlighted(experience.narrative, links),
        "form": form,
    }
    return render(request, "experiences/card.html", context, status=400 if form.errors else 200)


@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    experience = get_experience_for_user(user=_user(request), pk=pk)
    services.experience_delete(experience=experience)
    messages.success(request, _("L'expérience est supprimée."))
    return redirect("experiences:portfolio")
