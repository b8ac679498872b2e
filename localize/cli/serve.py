"""``localize serve``: the review page for the project's PO files."""

from __future__ import annotations

import click

from localize.cli.options import glossary_option
from localize.errors import LocalizeError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than loopback needs the access token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--reviewer", envvar="LOCALIZE_REVIEWER", show_envvar=True, metavar="NAME",
              help="Who reviews: written to Last-Translator of every PO saved (e.g. 'Huda K. <huda@desk.example>').")
@click.option("--token", envvar="LOCALIZE_SERVE_TOKEN", show_envvar=True, metavar="TOKEN",
              help="Access token (default: generated and printed when --host is not loopback).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name the page is opened under, NAME or NAME:PORT (repeatable): the machine's name "
                   "on the desk network, or a proxy's. Requests that name any other host than the address "
                   "listened on (and localhost on loopback) are refused.")
@glossary_option
def serve(host, port, open_browser, reviewer, token, allowed_hosts, glossary_files):
    """Serve a review page for the project's PO files (translations/).

    The index lists every article with its review state; an article's page
    shows its segments in order, English beside an editable Arabic field, with
    glossary terms, issues re-checked as you type, machine-draft provenance,
    memory suggestions and what changed in the English. Ctrl+Enter approves a
    segment and goes to the next one to review. Saving writes the PO under the
    same lock as translate, and refuses to overwrite a segment changed
    elsewhere since the page was loaded.

    The page answers only to the address it listens on (on loopback: also
    localhost, 127.0.0.1 and [::1]; on 0.0.0.0: any IP address) and to the
    names given with --allowed-host: a request naming another host is refused,
    so that a web page cannot reach it through a DNS trick.

    \b
    Example:
      localize serve --open --reviewer "Huda K."
      localize serve --host 0.0.0.0 --port 8080     # prints a URL with an access token
      localize serve --host 0.0.0.0 --allowed-host review-pc.desk.example
    """
    import secrets
    import socket

    from localize import pipeline
    from localize.serve import create_app, host_rules, loopback, make_server

    if not host.strip():
        raise LocalizeError("--host", "is blank", "give an address to listen on, e.g. 127.0.0.1 or 0.0.0.0")
    if token is not None and not token.strip():
        raise LocalizeError("--token", "is blank", "give a token, or leave --token out to have one made")
    host_rules(host, [], allowed_hosts)  # a name that is not one: said before anything else
    folder = pipeline.translations_folder()
    if not loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    pipeline.term_index(glossary_files, required=False)  # a broken glossary: said before serving
    app = create_app(folder, reviewer or "", token or None, glossary_files)
    try:
        server = make_server(app, host, port)
    except (OSError, socket.gaierror, ValueError) as error:
        raise LocalizeError(f"{host}:{port}", f"cannot listen there: {getattr(error, 'strerror', None) or error}",
                            "pick another --host or --port, or stop what uses it") from None
    listening = [(server.effective_host, server.effective_port)] if hasattr(server, "effective_port") \
        else [tuple(address[:2]) for address in server.effective_listen]
    app.config["LOCALIZE_HOSTS"] = host_rules(host, listening, allowed_hosts)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{listening[0][1]}/" + (f"?token={token}" if token else "")
    click.echo(f"Serving {folder} for review at {url}  (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
