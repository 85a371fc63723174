"""Moved to tests/support/processes.py; kept so test files written against the old place work."""

from support.processes import *  # noqa: F401,F403
from support.processes import redis_servers, server_processes, wait_until  # noqa: F401
