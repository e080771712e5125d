#!/bin/sh
# Build-time check of the Jetty release: the node's Java must run and be recent enough.
# Usage: check-java.sh MIN_MAJOR_VERSION JAVA
min=$1
java=$2
if [ ! -x "$java" ]; then
    echo "jetty release: no Java at $java; install one (as root: apt-get install openjdk-17-jre-headless)." >&2
    exit 1
fi
major=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
if [ -z "$major" ] || [ "$major" -lt "$min" ]; then
    echo "jetty release: $java is Java ${major:-of unknown version}; Jetty needs Java $min or later." >&2
    exit 1
fi
echo "jetty release: found Java $major ($java)"
