#!/usr/bin/env python3
"""OpenSVC's "packages" compliance object, as seed 002's 50-spdc.packages calls it:

    packages.py PREFIX check|fix|fixable

Every environment variable whose name starts with PREFIX holds a JSON list of Debian package
names (seed 002's spdc_pkg: ["sysstat","docker.io","btrfs-tools"]); a name with a leading '-'
must be absent, any other must be installed (its version is not looked at). Installed means
dpkg-query's status "install ok installed". fix runs apt-get install / apt-get remove
(non-interactive) for what differs. Exit codes: 0 ok, 1 not ok, 2 not applicable (no rule, or
no dpkg on this node).
"""
import json
import os
import re
import shutil
import subprocess
import sys

OK, NOK, NA = 0, 1, 2
NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?$")


def rules(prefix):
    wanted = {}
    for k, v in sorted(os.environ.items()):
        if not k.startswith(prefix):
            continue
        names = json.loads(v)
        if isinstance(names, str):
            names = [names]
        for n in names:
            absent = n.startswith("-")
            n = n[1:] if absent else n
            if not NAME.match(n):
                raise ValueError("%s: '%s' is not a Debian package name" % (k, n))
            wanted[n] = not absent
    return wanted


def installed(name):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() == "install ok installed"


def differing(wanted):
    out = []
    for name, want in sorted(wanted.items()):
        have = installed(name)
        if have == want:
            print("package %s is %s" % (name, "installed" if have else "absent"))
        else:
            print("package %s is %s, should be %s" % (name, "installed" if have else "absent",
                                                     "installed" if want else "absent"), file=sys.stderr)
            out.append(name)
    return out


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("check", "fix", "fixable"):
        print("usage: packages.py PREFIX check|fix|fixable", file=sys.stderr)
        return NOK
    prefix, action = sys.argv[1], sys.argv[2]
    try:
        wanted = rules(prefix)
    except ValueError as e:
        print("error: " + str(e), file=sys.stderr)
        return NOK
    if not wanted:
        print("no variable starts with " + prefix + ": not applicable")
        return NA
    if shutil.which("dpkg-query") is None:
        print("no dpkg-query on this node: not applicable")
        return NA
    if action == "fixable":
        return OK
    wrong = differing(wanted)
    if action == "check" or not wrong:
        return NOK if wrong else OK
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    add = [n for n in wrong if wanted[n]]
    remove = [n for n in wrong if not wanted[n]]
    r = OK
    for verb, names in (("install", add), ("remove", remove)):
        if names:
            cmd = ["apt-get", "-y", "-q", verb] + names
            print(" ".join(cmd))
            if subprocess.run(cmd, env=env).returncode != 0:
                print("apt-get %s %s failed" % (verb, " ".join(names)), file=sys.stderr)
                r = NOK
    return r


if __name__ == "__main__":
    sys.exit(main())
