from django.conf import settings


def version_header(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Version"] = settings.VERSION
        return response

    return middleware
