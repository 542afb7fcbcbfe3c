"""RQ workers that stop within a second (``TASKS_BACKEND=rq``).

RQ's worker listens for remote commands (stop, kill a job) on a Redis channel in
a thread that waits up to 60 seconds per read; with the pinned redis client,
stopping the worker waits for that read to end, so every stop (SIGTERM, the end
of a ``--burst`` run) took a minute. These workers read that channel once a
second instead. ``settings.RQ["WORKER_CLASS"]`` points ``manage.py rqworker`` here.
"""

from __future__ import annotations

from rq.worker import SimpleWorker as _SimpleWorker
from rq.worker import Worker as _Worker

COMMAND_POLL_SECONDS = 1


class _QuickStop:
    def subscribe(self) -> None:
        """Listen for remote commands, waking up every second (RQ's own waits 60)."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )


class Worker(_QuickStop, _Worker):
    """RQ's forking worker (one work horse per job), for production."""


class SimpleWorker(_QuickStop, _SimpleWorker):
    """RQ's worker without forking: runs jobs in its own process (tests)."""
