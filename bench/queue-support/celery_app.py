"""bench/queue's Celery peer: the seed's own setup (RabbitMQ broker, SQLAlchemy Postgres result
backend, prefork). Configured from the environment: CELERY_BROKER_URL, CELERY_RESULT_BACKEND."""
import os
import time

from celery import Celery

app = Celery("queuebench", broker=os.environ["CELERY_BROKER_URL"], backend=os.environ["CELERY_RESULT_BACKEND"])
app.conf.update(
    # Defaults otherwise (prefetch multiplier 4, acks early, JSON); only the chatter is quieter.
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


@app.task(name="noop")
def noop():
    """A no-op task; its result is the wall-clock time it started (for enqueue->start)."""
    return time.time()
