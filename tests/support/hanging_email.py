"""A file email backend whose mail server hangs after HANG_AFTER_MESSAGES messages in each
worker process, for the failover test: the worker is then killed while it waits, in the
middle of a batch, with the rest of that batch claimed and unsent."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class HangingFileEmailBackend(FileEmailBackend):
    sent_in_this_process = 0

    def send_messages(self, email_messages):
        if HangingFileEmailBackend.sent_in_this_process >= int(os.environ["HANG_AFTER_MESSAGES"]):
            # Tell the test this process is stuck, then wait to be killed.
            Path(self.file_path, f"hanging-{os.getpid()}").touch()
            time.sleep(3600)
        HangingFileEmailBackend.sent_in_this_process += len(email_messages)
        return super().send_messages(email_messages)
