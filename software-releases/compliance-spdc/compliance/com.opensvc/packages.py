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
import os
import re
import shutil
import subprocess
import sys
sys.dont_write_bytecode = True  # root runs the objects from a release's tree: leave no __pycache__ in it
import comp  # noqa: E402 (beside this file)
from comp import OK, NOK  # noqa: E402
NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?$")


def rules(prefix):
    wanted = {}
    for k, names in comp.variables(prefix):
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


def no_dpkg():
    return "no dpkg-query on this node" if shutil.which("dpkg-query") is None else None


def act(wanted, action):
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
    sys.exit(comp.main("packages.py", rules, act, no_dpkg))
