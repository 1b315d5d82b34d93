"""What every command-line command shares: loading the content, or reporting why it cannot be.

Commands are contributed by features (see :class:`generator.feature.Feature`); each one's
``run(args, features)`` gets the parsed arguments and the feature list, and calls
:func:`load_or_report` instead of handling content errors itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .diagnostics import ContentError
from .feature import Feature, load_corpus
from .model import Corpus


def load_or_report(args: argparse.Namespace, features: Sequence[Feature]) -> Corpus | None:
    """The corpus from ``--content`` and ``--schema``, or ``None`` after printing every problem
    (``file:line:col: $.path: message``) to standard error."""
    try:
        return load_corpus(args.content, args.schema, features, Path.cwd())
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return None
