#!/usr/bin/env python3
"""OpenSVC's "files" compliance object, as seed 002's modules call it:

    files.py PREFIX check|fix|fixable

Every environment variable whose name starts with PREFIX holds one file rule, a JSON object
{"path": ..., "fmt": ..., "mode": 644, "uid": "root", "gid": 0} (mode, uid, gid optional).
%%ENV:NAME%% in path and fmt is replaced by $NAME, else by $OSVC_COMP_NAME. Exit codes: 0 ok,
1 not ok, 2 not applicable (no rule, or a rule naming a variable that is not set).
"""
import grp
import os
import pwd
import re
import sys
sys.dont_write_bytecode = True  # root runs the objects from a release's tree: leave no __pycache__ in it
import comp  # noqa: E402 (beside this file)
from comp import OK, NOK, NA  # noqa: E402


class NotApplicable(Exception):
    pass


def subst(text):
    def one(m):
        name = m.group(1)
        for candidate in (name, "OSVC_COMP_" + name):
            if candidate in os.environ:
                return os.environ[candidate]
        raise NotApplicable("%%ENV:" + name + "%% is not set")
    return re.sub(r"%%ENV:(\w+)%%", one, text)


def ids(rule):
    uid = rule.get("uid")
    gid = rule.get("gid")
    if isinstance(uid, str) and not uid.isdigit():
        uid = pwd.getpwnam(uid).pw_uid
    if isinstance(gid, str) and not gid.isdigit():
        gid = grp.getgrnam(gid).gr_gid
    return (None if uid is None else int(uid)), (None if gid is None else int(gid))


def mode(rule):
    m = rule.get("mode")
    return None if m is None else int(str(m), 8)


def check(rule):
    path = subst(rule["path"])
    want = subst(rule.get("fmt", ""))
    if not os.path.isfile(path):
        print(path + " does not exist", file=sys.stderr)
        return NOK
    with open(path, encoding="utf-8", errors="replace") as f:
        have = f.read()
    r = OK
    if have != want:
        print(path + " content differs from the rule", file=sys.stderr)
        r = NOK
    st = os.stat(path)
    m = mode(rule)
    if m is not None and (st.st_mode & 0o7777) != m:
        print("%s mode is %o, should be %o" % (path, st.st_mode & 0o7777, m), file=sys.stderr)
        r = NOK
    uid, gid = ids(rule)
    if uid is not None and st.st_uid != uid:
        print("%s owner is %d, should be %d" % (path, st.st_uid, uid), file=sys.stderr)
        r = NOK
    if gid is not None and st.st_gid != gid:
        print("%s group is %d, should be %d" % (path, st.st_gid, gid), file=sys.stderr)
        r = NOK
    if r == OK:
        print(path + " is conformant")
    return r


def fix(rule):
    path = subst(rule["path"])
    want = subst(rule.get("fmt", ""))
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    uid, gid = ids(rule)
    comp.replace(path, want, mode(rule), -1 if uid is None else uid, -1 if gid is None else gid)
    print(path + " written")
    return OK


def load(prefix):
    return [rule for _, rule in comp.variables(prefix)]


def act(rules, action):
    r = OK
    for rule in rules:
        try:
            one = check(rule) if action == "check" else fix(rule)
        except NotApplicable as e:
            print(str(e) + ": not applicable")
            one = NA
        except (OSError, KeyError, ValueError) as e:
            print("error: " + str(e), file=sys.stderr)
            one = NOK
        if one == NOK:
            r = NOK
    return r


if __name__ == "__main__":
    sys.exit(comp.main("files.py", load, act))
