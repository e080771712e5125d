#!/usr/bin/env python3
"""Runs Debian's python3-zc.buildout `buildout -U -c buildout.cfg annotate` in each directory
given on the command line and prints a JSON object: directory -> annotate's stdout (or the
error). Used by AnnotateDifferentialTest (buildout), which compares it with ours byte for byte.

zc.buildout 2.13.2 (Debian 12) still imports the ABCs from `collections`, gone in Python 3.10:
they are put back before importing it.
"""
import collections
import collections.abc
import contextlib
import io
import json
import os
import sys

for name in ('MutableMapping', 'Mapping', 'Sequence', 'Callable'):
    setattr(collections, name, getattr(collections.abc, name))

import zc.buildout.buildout  # noqa: E402


def main():
    results = {}
    for directory in sys.argv[1:]:
        os.chdir(directory)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                zc.buildout.buildout.main(['-U', '-c', 'buildout.cfg', 'annotate'])
            text = out.getvalue()
            # buildout logs 'Creating directory ...' (its eggs directory) to stdout first.
            start = text.find('\nAnnotated sections')
            results[directory] = text[start:] if start >= 0 else text
        except SystemExit as e:
            results[directory] = out.getvalue() + '\nexit %s' % e.code
    sys.stdout.write(json.dumps(results))


if __name__ == '__main__':
    main()
