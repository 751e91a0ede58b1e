"""What an IP address really reaches: IPv6 forms that carry an IPv4 address inside (mapped,
compatible, NAT64, 6to4, Teredo) are judged by the address they carry, as a router would route them."""

from __future__ import annotations

import ipaddress

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def reached(address: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The address and every IPv4 address it embeds."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.ipv4_mapped:
            found.append(ip.ipv4_mapped)
        if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
            found.append(low32)
        if ip in _NAT64 or ip in _NAT64_LOCAL:
            found.append(low32)
        if ip.sixtofour:
            found.append(ip.sixtofour)
        if ip.teredo:
            found.extend(ip.teredo)
    return found


def is_public(address: str) -> bool:
    return all(ip.is_global and not ip.is_multicast for ip in reached(address))


def is_link_local(address: str) -> bool:
    """Link-local (169.254/16, fe80::/10), where cloud machines answer metadata requests with their credentials."""
    return any(ip.is_link_local for ip in reached(address))
