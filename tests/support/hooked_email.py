"""An email backend for tests of slow and stalled mail servers: it delivers to
django.core.mail.outbox like the locmem backend, after running the hook a test sets (the
hook may move the frozen clock, as a slow server would, or raise, as a refusing one would)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class HookedEmailBackend(LocmemEmailBackend):
    before_send: Callable[[list], None] | None = None

    def send_messages(self, messages):
        hook = type(self).before_send
        if hook is not None:
            hook(messages)
        return super().send_messages(messages)
