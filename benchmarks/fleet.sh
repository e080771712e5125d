#!/usr/bin/env bash
# Fleet-scale master benchmark (issue 18), one command:
#   benchmarks/fleet.sh [nodes=1000] [partitions=50] [seconds=10] [connections=32] [base-port=25000]
# Starts PostgreSQL (initdb in a temporary directory, 127.0.0.1:base), two `slapos master`
# processes on it (base+1, base+2), fills nodes x partitions, then polls them and nginx (base+3,
# the same documents as static files) with the same load generator, and long-polls across the
# masters. Prints the figures, the ratio and the load average. Needs Debian's postgresql and nginx.
# FLEET_MASTER_OPTS: JVM options of both masters ({dir} = the master's data directory), e.g.
#   FLEET_MASTER_OPTS='-XX:StartFlightRecording=filename={dir}/fleet.jfr,settings=profile' \
#   FLEET_JAVA_OPTS=-Dfleet.keep=true benchmarks/fleet.sh
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "fleet.sh: nginx is required: apt-get install nginx" >&2; exit 1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "fleet.sh: PostgreSQL is required: apt-get install postgresql" >&2; exit 1; }
export PATH="$PATH:/usr/sbin"
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
mvn -q -B -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2
java ${FLEET_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat "$cp"):benchmarks/target/classes" \
  org.slapgrid.benchmarks.master.FleetBenchmark "$@"
