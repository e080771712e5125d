#!/usr/bin/env python3
"""OpenSVC's "nodeconf" compliance object, as seed 002's 50-spdc.opensvc calls it, on the
node's slapos.cfg:

    nodeconf.py PREFIX check|fix|fixable

Every environment variable whose name starts with PREFIX holds a JSON list of rules (seed 002's
spdc_opensvc_nodeconf): {"key": "slapos.compliance_interval", "op": "=", "value": "86400"},
key being SECTION.OPTION of the file $SLAPGRID_NODE_CONFIG (the node's slapos.cfg; the node
gives it to node-level modules). op is = (the value as is), >= or <= (numbers), or unset (the
option must be absent). fix rewrites only the lines of the options that differ (adding a
missing option at the end of its section, a missing section at the end), atomically, keeping
comments and the rest. Exit codes: 0 ok, 1 not ok, 2 not applicable (no rule, or no
$SLAPGRID_NODE_CONFIG).
"""
import json
import os
import re
import sys
sys.dont_write_bytecode = True  # root runs the objects from a release's tree: leave no __pycache__ in it
import comp  # noqa: E402 (beside this file)
from comp import OK, NOK  # noqa: E402

SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
OPTION = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")


def rules(prefix):
    out = comp.rule_list(prefix)
    for r in out:
        if "." not in r.get("key", ""):
            raise ValueError("rule %s: key is SECTION.OPTION" % json.dumps(r))
        if r.get("op", "=") not in ("=", ">=", "<=", "unset"):
            raise ValueError("rule %s: op must be =, >=, <= or unset" % json.dumps(r))
    return out


def parse(lines):
    """{(section, option): (line index, value)}, and {section: index of its last line}."""
    values, ends, section = {}, {}, None
    for i, line in enumerate(lines):
        m = SECTION.match(line)
        if m:
            section = m.group(1).strip()
            ends[section] = i
            continue
        if section is None or line.lstrip().startswith(("#", ";")) or line[:1].isspace():
            if section is not None and line.strip():
                ends[section] = i
            continue
        m = OPTION.match(line)
        if m:
            values[(section, m.group(1))] = (i, m.group(2).strip())
            ends[section] = i
    return values, ends


def conformant(have, rule):
    op = rule.get("op", "=")
    if op == "unset":
        return have is None
    if have is None:
        return False
    return comp.compare(have, op, str(rule["value"]))


def no_target():
    target = os.environ.get("SLAPGRID_NODE_CONFIG")
    if not target or not os.path.isfile(target):
        return "no node configuration file ($SLAPGRID_NODE_CONFIG)"
    return None


def act(rs, action):
    target = os.environ["SLAPGRID_NODE_CONFIG"]
    with open(target) as f:
        lines = f.read().splitlines()
    r, dirty = OK, False
    for rule in rs:
        section, option = rule["key"].split(".", 1)
        values, ends = parse(lines)
        found = values.get((section, option))
        have = None if found is None else found[1]
        if conformant(have, rule):
            print("%s: [%s] %s is conformant (%s)" % (target, section, option, "unset" if have is None else have))
            continue
        print("%s: [%s] %s is %s, should be %s %s" % (target, section, option, "unset" if have is None else "'" + have + "'",
              rule.get("op", "="), rule.get("value", "")), file=sys.stderr)
        if action == "check":
            r = NOK
            continue
        dirty = True
        if rule.get("op", "=") == "unset":
            del lines[found[0]]
        elif found is not None:
            lines[found[0]] = "%s = %s" % (option, rule["value"])
        elif section in ends:
            lines.insert(ends[section] + 1, "%s = %s" % (option, rule["value"]))
        else:
            lines += ["", "[%s]" % section, "%s = %s" % (option, rule["value"])]
        print("%s: [%s] %s set" % (target, section, option))
    if dirty:
        st = os.stat(target)
        comp.replace(target, "\n".join(lines) + "\n", st.st_mode & 0o7777, st.st_uid, st.st_gid)
    return r


if __name__ == "__main__":
    sys.exit(comp.main("nodeconf.py", rules, act, no_target))
