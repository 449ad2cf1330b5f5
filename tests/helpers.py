"""Shared test helpers."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from footreflex.planning import Item, objective


def brute_force(items: list[Item], capacity: int, region_bits: int, flag: int
                ) -> tuple[int, ...] | None:
    choices = []
    for item in items:
        opts = [(c, v) for c, v in item.options(capacity)]
        choices.append(opts if item.mandatory else [(0, 0), *opts])
    best = None
    for combo in itertools.product(*choices):
        cost = sum(c for c, _ in combo)
        if cost > capacity:
            continue
        mask = 0
        for item, (c, _) in zip(items, combo, strict=True):
            if c:
                mask |= item.bits
        key = objective(mask, sum(v for _, v in combo), cost, region_bits, flag)
        best = key if best is None or key > best else best
    return best


# ---------------------------------------------------------------- servers and browsers
def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread; yield its base URL, stop it on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


CHROMEDRIVER = "/usr/bin/chromedriver"
"""Debian's chromium-driver: Selenium uses it and never downloads one."""
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run")


def need(what: str, tests: str) -> None:
    """Fail in CI (which must have ``what``), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what} for the {tests} tests (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


def start_chromium(tests: str, *args: str, capabilities: dict[str, Any] | None = None) -> Any:
    """Start headless Debian Chromium through Selenium and the system chromedriver.

    Args:
        tests: Which tests need it (for the skip or failure message).
        *args: Chromium arguments beyond :data:`CHROMIUM_ARGS`.
        capabilities: Extra Selenium capabilities.
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        need("selenium (the test extra)", tests)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        need("Chromium", tests)
    if not os.path.exists(CHROMEDRIVER):
        need("chromium-driver", tests)
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for arg in (*CHROMIUM_ARGS, *args):
        options.add_argument(arg)
    for key, value in (capabilities or {}).items():
        options.set_capability(key, value)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
