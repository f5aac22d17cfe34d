"""A WebSocket at /ws/echo that answers each message with the release's version.

It is WSGI middleware around the Flask application, using uWSGI's own WebSocket API: once the
handshake is done the connection is no longer HTTP, so it stays out of Flask's request handling.
"""

from notes import VERSION

PATH = "/ws/echo"


class WebSocketEcho:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or "HTTP_SEC_WEBSOCKET_KEY" not in environ:
            return self.app(environ, start_response)
        import uwsgi  # exists only inside uWSGI

        uwsgi.websocket_handshake()
        try:
            while True:
                message = uwsgi.websocket_recv()
                uwsgi.websocket_send(VERSION.encode() + b" " + message)
        except OSError:  # the client went away, or the instance is stopping
            return []
