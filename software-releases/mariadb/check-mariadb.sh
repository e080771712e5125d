#!/bin/sh
# Build-time check of the MariaDB release: Debian's MariaDB binaries must be on the node, and
# the server recent enough. Usage: check-mariadb.sh MIN_VERSION MARIADBD INSTALL_DB CLIENT ADMIN
min=$1
shift
missing=""
for binary in "$@"; do
    [ -x "$binary" ] || missing="$missing $binary"
done
if [ -n "$missing" ]; then
    echo "mariadb release: missing executable(s):$missing." >&2
    echo "mariadb release: install Debian's MariaDB on the node (as root: apt-get install mariadb-server mariadb-client)." >&2
    exit 1
fi
mariadbd=$1
version=$("$mariadbd" --version 2>/dev/null | sed -n 's/.* Ver \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
if [ -z "$version" ]; then
    echo "mariadb release: cannot read the version of $mariadbd ('$mariadbd --version' printed no 'Ver X.Y.Z')." >&2
    exit 1
fi
lowest=$(printf '%s\n%s\n' "$min" "$version" | sort -V | head -n 1)
if [ "$lowest" != "$min" ]; then
    echo "mariadb release: $mariadbd is MariaDB $version; this release needs $min or later." >&2
    exit 1
fi
echo "mariadb release: found MariaDB $version ($mariadbd)"
