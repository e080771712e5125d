"""What the com.opensvc objects share (as OpenSVC's own comp.py): the command line
OBJECT.py PREFIX check|fix|fixable, the rules read from the environment, the outcome codes
and the atomic rewrite of a file. Not a module the node runs: the objects import it from their
own directory (Python puts a script's directory first on sys.path).
"""
import json
import os
import sys

OK, NOK, NA = 0, 1, 2


def variables(prefix, skip=()):
    """[(name, JSON value)] of the environment variables whose name starts with prefix, by name."""
    return [(k, json.loads(v)) for k, v in sorted(os.environ.items()) if k.startswith(prefix) and k not in skip]


def rule_list(prefix, skip=()):
    """The rules of those variables, each holding one rule or a list of rules."""
    out = []
    for _, r in variables(prefix, skip):
        out.extend(r if isinstance(r, list) else [r])
    return out


def compare(have, op, want):
    """have op want for op =, >= or <=: = compares the texts, the others the numbers (not numbers: False)."""
    if op == "=":
        return have == want
    try:
        h, w = int(have), int(want)
    except ValueError:
        return False
    return h >= w if op == ">=" else h <= w


def replace(path, text, mode=None, uid=-1, gid=-1):
    """Writes text to path through a temporary file beside it, renamed over it once complete."""
    tmp = path + ".compliance-tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    if mode is not None:
        os.chmod(tmp, mode)
    if uid != -1 or gid != -1:
        os.chown(tmp, uid, gid)
    os.replace(tmp, path)


def main(name, load, act, unavailable=lambda: None):
    """Runs an object: load(prefix) reads its rules (ValueError, KeyError: a bad rule, 1), none
    is 2; unavailable() says why the object cannot apply here (2), or None; fixable is 0; else
    act(rules, action) for check or fix gives the outcome."""
    if len(sys.argv) != 3 or sys.argv[2] not in ("check", "fix", "fixable"):
        print("usage: %s PREFIX check|fix|fixable" % name, file=sys.stderr)
        return NOK
    prefix, action = sys.argv[1], sys.argv[2]
    try:
        rules = load(prefix)
    except (ValueError, KeyError) as e:
        print("error: " + str(e), file=sys.stderr)
        return NOK
    if not rules:
        print("no variable starts with " + prefix + ": not applicable")
        return NA
    why = unavailable()
    if why:
        print(why + ": not applicable")
        return NA
    if action == "fixable":
        return OK
    return act(rules, action)
