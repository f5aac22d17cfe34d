"""A health check, the version, the hashed URL of a static file, and votes a task counts."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_exempt

from polls.models import Vote
from polls.tasks import count_vote


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok")


def version(request):
    return HttpResponse(settings.VERSION)


def style(request):
    """The collected (hashed) URL of the stylesheet, which nginx serves."""
    return HttpResponse(static("polls/style.css"))


@csrf_exempt
def votes(request):
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if not choice or len(choice) > 100:
            return HttpResponseBadRequest()
        vote = Vote.objects.create(choice=choice)
        count_vote.delay(vote.pk)
        return JsonResponse({"id": vote.pk}, status=201)
    return HttpResponse(str(Vote.objects.count()))


def vote(request, vote_id):
    try:
        found = Vote.objects.get(pk=vote_id)
    except Vote.DoesNotExist:
        raise Http404()
    return JsonResponse({"id": found.pk, "choice": found.choice, "counted": found.counted})
