"""Workers for the smoke check's _run_workers in tests: each spawned process imports this module
to find its target, so it imports nothing else (a test module would bring pytest with it)."""

import os
import signal
import time


def never_returns(*args):  # a worker stuck at the rendezvous, as a dead peer leaves it
    time.sleep(3600)


def dies(rank, *args):
    os._exit(3)


def reports(rank, world, queue):
    queue.put((rank, 10.0 * rank, world, ""))


def quits(rank, *args):  # returns without a result: exit code 0
    return None


def killed(rank, *args):
    os.kill(os.getpid(), signal.SIGKILL)


def reports_late(rank, world, queue):  # after the first polls found nothing
    time.sleep(0.5)
    queue.put((rank, 1.0, world, ""))
