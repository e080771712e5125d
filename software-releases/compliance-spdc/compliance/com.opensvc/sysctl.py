#!/usr/bin/env python3
"""OpenSVC's "sysctl" compliance object, as seed 002's 50-spdc.kernel calls it:

    sysctl.py PREFIX check|fix|fixable

Every environment variable whose name starts with PREFIX holds a JSON list of rules (seed 002's
spdc_kernel_sysctl): {"key": "vm.max_map_count", "index": 0, "op": ">=", "value": 200000};
index picks one of the whitespace-separated fields of the key's value (default 0), op is one of
=, >=, <= (default =). The live value is read from /proc/sys. fix writes the new value there
(as root; a key the kernel refuses is an error) and keeps it for the next boot in the file
named by $OSVC_COMP_SYSCTL_FILE (default /etc/sysctl.d/90-compliance.conf), one "key = value"
line per key. Exit codes: 0 ok, 1 not ok, 2 not applicable (no rule).
"""
import json
import os
import re
import sys
sys.dont_write_bytecode = True  # root runs the objects from a release's tree: leave no __pycache__ in it
import comp  # noqa: E402 (beside this file)
from comp import OK, NOK  # noqa: E402
KEY = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$")
PROC = "/proc/sys"


def path(key):
    if not KEY.match(key) or ".." in key:
        raise ValueError("'%s' is not a sysctl key" % key)
    return os.path.join(PROC, key.replace(".", "/"))


def rules(prefix):
    out = comp.rule_list(prefix, skip=("OSVC_COMP_SYSCTL_FILE",))
    for r in out:
        if r.get("op", "=") not in ("=", ">=", "<="):
            raise ValueError("rule %s: op must be =, >= or <=" % json.dumps(r))
        path(r["key"])
    return out


def read(key):
    with open(path(key)) as f:
        return f.read().split()


def conformant(have, rule):
    return comp.compare(have, rule.get("op", "="), str(rule["value"]))


def check_one(rule):
    key, i = rule["key"], int(rule.get("index", 0))
    fields = read(key)
    have = fields[i] if i < len(fields) else ""
    if conformant(have, rule):
        print("sysctl %s[%d] = %s: conformant (%s %s)" % (key, i, have, rule.get("op", "="), rule["value"]))
        return True
    print("sysctl %s[%d] = %s, should be %s %s" % (key, i, have, rule.get("op", "="), rule["value"]), file=sys.stderr)
    return False


def persist(values):
    target = os.environ.get("OSVC_COMP_SYSCTL_FILE", "/etc/sysctl.d/90-compliance.conf")
    lines = []
    if os.path.isfile(target):
        with open(target) as f:
            lines = [l for l in f.read().splitlines() if l.split("=")[0].strip() not in values]
    lines += ["%s = %s" % (k, " ".join(v)) for k, v in sorted(values.items())]
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    comp.replace(target, "\n".join(lines) + "\n")
    print("kept in " + target)


def act(rs, action):
    r = OK
    changed = {}
    for rule in rs:
        try:
            if check_one(rule):
                continue
            if action == "check":
                r = NOK
                continue
            key, i = rule["key"], int(rule.get("index", 0))
            fields = changed.get(key) or read(key)
            while len(fields) <= i:
                fields.append("0")
            fields[i] = str(rule["value"])
            with open(path(key), "w") as f:
                f.write(" ".join(fields) + "\n")
            changed[key] = read(key)
            print("sysctl %s set to %s" % (key, " ".join(changed[key])))
        except (OSError, ValueError, KeyError) as e:
            print("error: %s: %s" % (rule.get("key"), e), file=sys.stderr)
            r = NOK
    if changed:
        try:
            persist(changed)
        except OSError as e:
            print("error: cannot keep the values: %s" % e, file=sys.stderr)
            r = NOK
    return r


if __name__ == "__main__":
    sys.exit(comp.main("sysctl.py", rules, act))
