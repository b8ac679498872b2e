"""The ``localize`` command line: parse options, call the library, print.

One module per command group; options shared by several commands are made once
(``options``), from the settings table that also checks ``localize.toml``.
Library errors (``LocalizeError``) become one line on stderr,
``Error: <where>: <what> (<what to do>)``, and exit code 2.  Heavy modules are
imported inside the commands that need them, so ``--help`` and ``--version``
start fast.
"""

from __future__ import annotations

import os
import sys

import click

from localize import __version__
from localize.cli.batch import batch
from localize.cli.check import check, status
from localize.cli.doctor import doctor
from localize.cli.glossary import glossary
from localize.cli.init import init
from localize.cli.models import models
from localize.cli.publish import publish
from localize.cli.serve import serve
from localize.cli.tm import tm
from localize.cli.translate import segment, translate
from localize.errors import LocalizeError




def _usage_error(error: click.UsageError):
    """A usage error in one line, like every other error: what is wrong, and where help is."""
    command = error.ctx.command_path if error.ctx else "localize"
    click.echo(f"Error: {command}: {error.format_message().rstrip('.')} (see `{command} --help`)", err=True)
    sys.exit(2)


class _Group(click.Group):
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:  # an option of localize itself
            _usage_error(error)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LocalizeError as error:
            from localize.files import printable

            click.echo(f"Error: {printable(error.message)}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `localize segment x | head`
            sys.stderr.close()
            ctx.exit(0)
        except click.UsageError as error:
            _usage_error(error)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except RecursionError:  # input nested thousands deep that a library walks recursively
            click.echo("Error: the input is nested too deeply to read (check the file; nothing was written)", err=True)
            ctx.exit(2)
        except Exception as error:  # a bug: one line (the traceback with LOCALIZE_DEBUG=1), never a crash dump
            if os.environ.get("LOCALIZE_DEBUG"):
                raise
            from localize.files import printable

            what = printable(f"{type(error).__name__}: {error}")[:300]
            click.echo(f"Error: internal error ({what}); nothing more was written: please report this as a bug "
                       "(LOCALIZE_DEBUG=1 shows the traceback)", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="localize")
@click.pass_context
def cli(ctx):
    """Take English news articles to reviewed Arabic editions.

    Every command finds the project's root by walking up from the current
    folder to a localize.toml (see `localize init`), and takes its defaults
    from it; without one, the current folder is the root.

    \b
    Example:
      localize init && localize translate articles/story.txt && localize check
    """
    from localize import project

    ctx.default_map = project.load().default_map()


for command in (segment, translate, batch, check, status, publish, glossary, tm, models, serve, init, doctor):
    cli.add_command(command)


def main():
    cli(prog_name="localize")


if __name__ == "__main__":
    main()
