"""Who may ask what: the request guard (``Host``, access token, ``Origin``/``Referer``, CSRF
token), the headers every answer carries (CSP and the like), and the host rules behind the
``Host`` check.

Every request must name, in ``Host``, an address the server listens on or a name the
operator gave (``--allowed-host``): a page of another site that a DNS trick points at this
server is refused before it can read anything (DNS rebinding)."""

from __future__ import annotations

import hmac
import ipaddress
import re

from localize.errors import LocalizeError

ANY_IP = "*ip"  # a host rule's name: any IP address (the server listens on all of them)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MAX_PORT = 65535
TOKEN_COOKIE = "localize_token"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


# -- the guard and the headers (registered by create_app) --------------------------------------

def guard():
    """Before every request: refuse (400/403) one this server must not answer."""
    from flask import current_app, request

    from localize.serve.state import current

    state = current()
    host = _check_host(request.headers.get("Host", ""), current_app.config["LOCALIZE_HOSTS"])
    if state.token is not None:
        _check_token(request, state.token)
    if request.method == "POST":
        _check_sender(request, host, state.csrf)


def _check_host(named: str, rules) -> tuple[str, int | None]:
    from flask import abort

    host = split_host(named)
    if host is None or not host_allowed(host, rules):
        abort(400, description=f"this server does not answer to the host name {_shown(named)}: open the "
              "address `localize serve` printed, or start it with --allowed-host NAME")
    return host


def _check_token(request, token: str) -> None:
    from flask import abort

    given = request.args.get("token") or request.cookies.get(TOKEN_COOKIE) or \
        request.headers.get("Authorization", "").removeprefix("token ")
    if not hmac.compare_digest(given.encode(), token.encode()):
        abort(403, description="a token is needed: open the URL `localize serve` printed")


def _check_sender(request, host: tuple[str, int | None], csrf: str) -> None:
    """A state-changing request: from this very server's page (its Origin, else its Referer,
    when sent), with the page's CSRF token."""
    from flask import abort

    origin = request.headers.get("Origin")
    sender = origin if origin is not None else request.headers.get("Referer")
    if sender is not None and not same_origin(sender, host):
        abort(403, description="refused: this request came from another site (its "
              f"{'Origin' if origin is not None else 'Referer'}), not from this review page")
    if not hmac.compare_digest(request.headers.get("X-CSRF-Token", "").encode(), csrf.encode()):
        abort(403, description="missing or wrong CSRF token: reload the page")


def add_headers(response):
    """After every request: the token cookie (when the token came in the URL) and the headers."""
    from flask import request

    from localize.serve.state import current

    token = current().token
    if token is not None and request.args.get("token"):
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
    if "Content-Security-Policy" not in response.headers:  # a route's own (the preview's) is kept
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    # no Referer to other sites (the URL may hold the token); not "no-referrer": a browser then
    # sends "Origin: null" with the page's own saves, which guard() refuses
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# -- host names and rules ----------------------------------------------------------------------

def _shown(text: str) -> str:
    text = "".join(char if char.isprintable() else "?" for char in text[:80])
    return repr(text) if text else "(none)"


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (or an URL's host and port) as (name, port or None): the name in
    lower case, an IP address in its usual spelling (``::1``, without brackets); None
    if it is not one."""
    parts = _name_and_port(value.strip().lower())
    if parts is None:
        return None
    name, port = parts
    if port is None:
        return name, None
    if not re.fullmatch(r"[0-9]{1,5}", port) or int(port) > MAX_PORT:
        return None
    return name, int(port)


def _name_and_port(value: str) -> tuple[str, str | None] | None:
    """``split_host``'s name and the text of its port (not yet checked)."""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        try:
            return str(ipaddress.IPv6Address(name)), (rest[1:] if rest else None)
        except ValueError:
            return None
    if value.count(":") > 1:
        return None
    name, colon, port = value.partition(":")
    try:
        name = str(ipaddress.IPv4Address(name))
    except ValueError:
        if not re.fullmatch(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?", name):
            return None
    return name, (port if colon else None)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def default_hosts() -> frozenset:
    """The host rules of an app given none: the loopback names, on any port."""
    return frozenset((name, None) for name in LOOPBACK_NAMES)


def host_allowed(host: tuple[str, int | None], rules) -> bool:
    """Whether ``host`` (``split_host``) matches one of ``rules`` (``host_rules``)."""
    name, port = host
    return any((rule == name or (rule == ANY_IP and _is_ip(name))) and (want is None or want == (port or 80))
               for rule, want in rules)


def host_rules(host: str, listening, names=()) -> frozenset:
    """The ``Host`` headers a server listening on ``listening`` ([(address, port)]) for
    ``--host host`` answers to, as (name, port or None for any port) pairs: ``host``
    and each address, on their port; on loopback, the loopback names; on every
    address (0.0.0.0, ::), any IP address and localhost; and ``names`` (NAME, on any
    port, or NAME:PORT).  A name from nobody's list is what a DNS rebinding attack
    sends: a browser names the site it thinks it talks to."""
    rules: set[tuple[str, int | None]] = set()
    for address, listening_port in listening:
        port = int(listening_port)  # (waitress's effective_port is text)
        for given in (host, str(address)):
            parsed = split_host(given if ":" not in given or given.startswith("[") else f"[{given}]")
            if parsed is None:
                continue
            if parsed[0] in ("0.0.0.0", "::"):
                rules |= {(ANY_IP, port), ("localhost", port)}
            else:
                rules.add((parsed[0], port))
            if loopback(parsed[0]):
                rules |= {(name, port) for name in LOOPBACK_NAMES}
    for name in names:
        parsed = split_host(f"[{name}]" if name.count(":") > 1 and not name.startswith("[") else name)
        if parsed is None:
            raise LocalizeError("--allowed-host", f"{_shown(name)} is not a host name (NAME or NAME:PORT)",
                                "e.g. --allowed-host review.desk.example")
        rules.add(parsed)
    return frozenset(rules)


def same_origin(url: str, host: tuple[str, int | None]) -> bool:
    """Whether ``url`` (an ``Origin`` or ``Referer``) is of the server ``host`` (``split_host``
    of the request's ``Host``): http or https, the same name and port."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "@" in parts.netloc:
        return False
    origin = split_host(parts.netloc)
    if origin is None:
        return False
    default = 80 if parts.scheme == "http" else 443
    return origin[0] == host[0] and (origin[1] or default) == (host[1] or default)
