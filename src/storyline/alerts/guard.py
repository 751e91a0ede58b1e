"""The SSRF guard: a webhook may call only public addresses, and is pinned to the one checked."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit

from storyline.addresses import is_public


class UnsafeTarget(ValueError):
    """A webhook URL we will not call: bad scheme, unresolvable, or an address inside the network."""


def check_target(url: str, allow_private: bool = False) -> str:
    """Raise UnsafeTarget unless `url` is http(s) on a host whose every address is public; return
    the address to connect to, so that no second lookup can answer differently (DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)))
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise UnsafeTarget(f"cannot resolve {parts.hostname!r}: {error}") from error
    inside = sorted(a for a in addresses if not is_public(a))
    if inside and not allow_private:
        raise UnsafeTarget(f"{parts.hostname!r} resolves to {', '.join(inside)}, a private, loopback or reserved address; "
                           "webhooks may not call into this network unless registered with allow_private")
    return addresses[0]


def pinned(url: str, address: str) -> tuple[str, str, dict[str, str]]:
    """The URL with its host replaced by the checked `address`, the Host header the receiver
    expects, and the name TLS must verify (the certificate is still checked against the host)."""
    parts = urlsplit(url)
    userinfo, _, host = parts.netloc.rpartition("@")
    literal = f"[{address}]" if ":" in address else address
    netloc = (f"{userinfo}@" if userinfo else "") + literal + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), host, {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
