"""The client address behind a configured number of trusted reverse proxies."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from buurtbasis.platform import ratelimit

ROOT = Path(__file__).resolve().parents[4]


def request(remote="10.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_it_ignores_x_forwarded_for(settings):
    settings.TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request(forwarded="203.0.113.9")) == "10.0.0.1"


def test_behind_one_proxy_it_takes_the_address_that_proxy_saw(settings):
    settings.TRUSTED_PROXIES = 1
    spoofed = request(forwarded="6.6.6.6, 7.7.7.7, 203.0.113.9")
    assert ratelimit.client_ip(spoofed) == "203.0.113.9"


def test_behind_two_proxies_it_takes_the_second_entry_from_the_right(settings):
    # client -> CDN (appends the client) -> nginx (appends the CDN) -> app
    settings.TRUSTED_PROXIES = 2
    spoofed = request(forwarded="6.6.6.6, 203.0.113.9, 198.51.100.7")
    assert ratelimit.client_ip(spoofed) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", "   ", "203.0.113.9", "not-an-address, x"])
def test_with_fewer_entries_than_proxies_or_garbage_it_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXIES = 2
    assert ratelimit.client_ip(request(forwarded=forwarded)) == "10.0.0.1"


def test_it_accepts_ipv6_entries(settings):
    settings.TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request(forwarded="2001:db8::1")) == "2001:db8::1"


def _client_ip_in_subprocess(forwarded: str, **env: str) -> dict:
    """Load the real settings from the environment in a fresh process and ask client_ip."""
    code = (
        "import json, django; django.setup();"
        "from django.conf import settings;"
        "from django.test import RequestFactory;"
        "from buurtbasis.platform.ratelimit import client_ip;"
        "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.1',"
        f" HTTP_X_FORWARDED_FOR={forwarded!r});"
        "print(json.dumps({'ip': client_ip(r), 'proxies': settings.TRUSTED_PROXIES,"
        " 'ssl_header': settings.SECURE_PROXY_SSL_HEADER}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXIES", "BEHIND_PROXY")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_setting_comes_from_the_environment():
    out = _client_ip_in_subprocess("6.6.6.6, 203.0.113.9, 198.51.100.7", TRUSTED_PROXIES="2")
    assert out == {
        "ip": "203.0.113.9",
        "proxies": 2,
        "ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_behind_proxy_true_still_means_one_trusted_proxy():
    out = _client_ip_in_subprocess("6.6.6.6, 203.0.113.9", BEHIND_PROXY="True")
    assert out == {
        "ip": "203.0.113.9",
        "proxies": 1,
        "ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_by_default_no_proxy_is_trusted():
    out = _client_ip_in_subprocess("6.6.6.6, 203.0.113.9")
    assert out == {"ip": "10.0.0.1", "proxies": 0, "ssl_header": None}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXIES": "-1"}, "TRUSTED_PROXIES must be 0 or more"),
        ({"TRUSTED_PROXIES": "one"}, "TRUSTED_PROXIES must be a whole number"),
        ({"TRUSTED_PROXIES": "0", "BEHIND_PROXY": "True"}, "BEHIND_PROXY=True"),
    ],
)
def test_it_refuses_a_wrong_number_of_proxies(env, message):
    base = {k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXIES", "BEHIND_PROXY")}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert message in done.stderr
