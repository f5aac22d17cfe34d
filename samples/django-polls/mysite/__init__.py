# Load the Celery application when Django starts, so that shared_task uses it.
from mysite.celery import app as celery_app

__all__ = ("celery_app",)
