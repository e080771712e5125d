#!/usr/bin/env python3
"""Renders differential test cases with the real Jinja2, in slapos.recipe.template's environment.

Reads a JSON list of cases on stdin: {"name", "template", "context", "imports", "files"}.
Writes a JSON object on stdout: name -> {"output": text} or {"error": class name, "message": text,
"line": the template line the error is reported at, as Jinja2's traceback gives it (0: none)}.
Used by Jinja2DifferentialTest (recipes), which renders the same cases with the Java renderer
and compares the outputs byte for byte.
"""
import builtins
import importlib
import json
import sys
import traceback

import jinja2
import six

BUILTINS = """abs all any bin bool callable chr dict divmod enumerate filter float format
frozenset getattr hasattr hex int isinstance iter len list map max min next oct ord pow range
repr reversed round set sorted str sum tuple zip""".split()


def _assert(x, *args):
    # slapos.recipe.template's {{ assert(condition, message) }}
    if x:
        return ''
    raise AssertionError(*args)


def error_line(e, case):
    """The line Jinja2 reports: a syntax error's own, else the innermost template frame's."""
    if isinstance(e, jinja2.TemplateSyntaxError):
        return e.lineno or 0
    names = {'<template>'} | set(case.get('files') or {})
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename in names]
    return frames[-1].lineno if frames else 0


def main():
    cases = json.load(sys.stdin)
    results = {}
    for case in cases:
        env = jinja2.Environment(
            extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols'],
            undefined=jinja2.StrictUndefined,
            loader=jinja2.DictLoader(case.get('files') or {}),
        )
        context = {name: getattr(builtins, name) for name in BUILTINS}
        context['assert'] = _assert
        context['six'] = six  # slapos.recipe.template gives six to every template
        for alias, module in (case.get('imports') or {}).items():
            context[alias] = importlib.import_module(module)
        context.update(case.get('context') or {})
        try:
            template = env.from_string(case['template'])
            results[case['name']] = {'output': template.render(**context)}
        except Exception as e:  # the class and the line are what the Java side compares
            results[case['name']] = {'error': type(e).__name__, 'message': str(e), 'line': str(error_line(e, case))}
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()
