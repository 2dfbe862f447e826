"""``HEAD`` wherever ``GET`` is served (RFC 9110, section 9.3.2).

FastAPI routes answer only the methods they declare, so a ``HEAD`` of ``/sparql`` or of a
term's URL would be 405. :class:`HeadMiddleware` runs a ``HEAD`` request as the ``GET`` it
stands for and sends the status and headers of that answer (``Content-Type``,
``Content-Length``, ``Vary`` ...) without its body. A path that serves no ``GET`` still
answers 405, with its ``Allow`` header.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadMiddleware:
    """Answers ``HEAD`` with the headers of the ``GET`` answer and an empty body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
