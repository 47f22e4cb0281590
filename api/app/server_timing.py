"""`Server-Timing: app;dur=<ms>` on every answer: how long the server held the request
(from its first byte handed to the app to the answer's head), the standard header a
browser's developer tools and the benchmarks read (`benchmarks.field` sets it beside
what the phone waited, which also counts the network and the phone's own waits)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    """ASGI middleware adding the header (see the module's note)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = 1000 * (time.perf_counter() - t0)
                message = {**message, "headers": [
                    *message.get("headers", []), (b"server-timing", f"app;dur={ms:.1f}".encode())]}
            await send(message)

        await self.app(scope, receive, timed)
