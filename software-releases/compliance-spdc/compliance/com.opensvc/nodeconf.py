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

OK, NOK, NA = 0, 1, 2
SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
OPTION = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")


def rules(prefix):
    out = []
    for k, v in sorted(os.environ.items()):
        if k.startswith(prefix):
            r = json.loads(v)
            out.extend(r if isinstance(r, list) else [r])
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
    want = str(rule["value"])
    if op == "=":
        return have == want
    try:
        return int(have) >= int(want) if op == ">=" else int(have) <= int(want)
    except ValueError:
        return False


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("check", "fix", "fixable"):
        print("usage: nodeconf.py PREFIX check|fix|fixable", file=sys.stderr)
        return NOK
    prefix, action = sys.argv[1], sys.argv[2]
    try:
        rs = rules(prefix)
    except ValueError as e:
        print("error: " + str(e), file=sys.stderr)
        return NOK
    target = os.environ.get("SLAPGRID_NODE_CONFIG")
    if not rs:
        print("no variable starts with " + prefix + ": not applicable")
        return NA
    if not target or not os.path.isfile(target):
        print("no node configuration file ($SLAPGRID_NODE_CONFIG): not applicable")
        return NA
    if action == "fixable":
        return OK
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
        with open(target + ".compliance-tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(target + ".compliance-tmp", st.st_mode & 0o7777)
        os.chown(target + ".compliance-tmp", st.st_uid, st.st_gid)
        os.replace(target + ".compliance-tmp", target)
    return r


if __name__ == "__main__":
    sys.exit(main())
