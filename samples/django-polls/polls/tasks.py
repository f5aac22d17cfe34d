from celery import shared_task

from polls.models import Vote


@shared_task
def count_vote(vote_id):
    Vote.objects.filter(pk=vote_id).update(counted=True)
    return vote_id
