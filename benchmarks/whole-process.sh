#!/usr/bin/env bash
# Whole-process figures of `bin/slapos` against zc.buildout (Debian's python3-zc.buildout), as a
# user feels them: a new process each time, launcher included.
#
#   benchmarks/whole-process.sh [RUNS]        (default 9; WORK=dir keeps the profiles there)
#   OLD=/path/to/other/checkout/bin/slapos benchmarks/whole-process.sh 11
#       also runs that launcher (another build: a baseline) alternately with this one, for the
#       re-run, --version and --help, and prints new against old
#
# Scenarios, each run alternately (ours, theirs, ours, theirs...) so that a machine shared with
# other work slows both alike; medians of wall time, CPU time (user+sys) and peak RSS
# (/usr/bin/time): an unchanged re-run of a 100-part profile, a first install of the same 100
# parts, resolving a 1,000-section profile (ours: `resolve --json`; zc.buildout has no resolve,
# its nearest is `annotate`, which also merges, substitutes and prints every section), and
# `slapos --version` / `--help`.
#
# Both engines run the same profile text: each part uses `slapos.recipe.template` with `inline`
# and `output`, a file-writing recipe. For zc.buildout that recipe is a 20-line Python egg made
# here (install writes the file, update rewrites it only if it differs, as ours does), so no
# network and no setuptools build is involved.
#
# Needs: java 17, python3-zc.buildout, time (apt-get install -y python3-zc.buildout time).
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-9}"
slapos="$top/bin/slapos"
work="${WORK:-$(mktemp -d /tmp/whole-process.XXXXXX)}"
mkdir -p "$work"

command -v buildout >/dev/null || { echo "needs zc.buildout: apt-get install -y python3-zc.buildout" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }
"$slapos" --version >/dev/null   # builds the jar and its class-data archives if needed
old="${OLD:-}"
[ -z "$old" ] || "$old" --version >/dev/null
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# Debian 12's zc.buildout 2.13.2 imports collections.MutableMapping, gone since Python 3.10:
# run /usr/bin/buildout's own entry point with that one name put back (no other change).
zc="$work/zc-buildout"
cat > "$zc" <<'EOF'
#!/usr/bin/python3
import collections, collections.abc, sys
collections.MutableMapping = collections.abc.MutableMapping
from pkg_resources import load_entry_point
sys.argv[0] = 'buildout'
sys.exit(load_entry_point('zc.buildout', 'console_scripts', 'buildout')())
EOF
chmod +x "$zc"

# --- the recipe egg zc.buildout loads for slapos.recipe.template ----------------------------
egg="$work/eggs/slapos.recipe.template-0.0-py$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])').egg"
mkdir -p "$egg/EGG-INFO"
printf 'Metadata-Version: 1.1\nName: slapos.recipe.template\nVersion: 0.0\n' > "$egg/EGG-INFO/PKG-INFO"
printf '[zc.buildout]\ndefault = benchtemplate:Recipe\n' > "$egg/EGG-INFO/entry_points.txt"
cat > "$egg/benchtemplate.py" <<'EOF'
class Recipe:
    """Writes options['inline'] to options['output'] (install), again only if it differs (update)."""
    def __init__(self, buildout, name, options):
        self.output, self.text = options['output'], options['inline']

    def install(self):
        self.update()
        return [self.output]

    def update(self):
        try:
            with open(self.output) as f:
                if f.read() == self.text:
                    return
        except FileNotFoundError:
            pass
        with open(self.output, 'w') as f:
            f.write(self.text)
EOF

# --- profiles -------------------------------------------------------------------------------
parts_profile() {   # $1: directory
  mkdir -p "$1"
  {
    printf '[buildout]\noffline = true\nnewest = false\neggs-directory = %s\nparts =' "$work/eggs"
    for i in $(seq 1 100); do printf ' part%d' "$i"; done
    printf '\n\n[shared]\ngreeting = hello from the shared section\n'
    for i in $(seq 1 100); do
      printf '\n[part%d]\nrecipe = slapos.recipe.template\ninline = part %d says ${shared:greeting}\noutput = ${buildout:parts-directory}/part%d.txt\n' "$i" "$i" "$i"
    done
  } > "$1/buildout.cfg"
}
for who in ours theirs; do
  for kind in rerun first; do parts_profile "$work/$who-$kind"; done
done
[ -z "$old" ] || parts_profile "$work/old-rerun"
{   # 1,000 sections: a macro each, and chains of 20 references (section to previous section)
  printf '[buildout]\nparts =\n\n[base]\nport = 8000\nhost = 127.0.0.1\n'
  for i in $(seq 1 1000); do
    if (( i % 20 == 1 )); then prev=first; else prev="\${s$(( i - 1 )):name}"; fi
    printf '\n[s%d]\n<= base\nname = section %d after %s\nurl = http://${:host}:${:port}/%d\n' "$i" "$i" "$prev" "$i"
  done
} > "$work/resolve.cfg"
mkdir -p "$work/resolve-ours" "$work/resolve-theirs"

# The re-run profiles are installed once before timing.
(cd "$work/ours-rerun" && "$slapos" buildout -c buildout.cfg >/dev/null)
(cd "$work/theirs-rerun" && "$zc" -c buildout.cfg >/dev/null)
[ -z "$old" ] || (cd "$work/old-rerun" && "$old" buildout -c buildout.cfg >/dev/null)

# --- timing ---------------------------------------------------------------------------------
# measure NAME DIR CMD...: one run; appends "wall_ms cpu_ms rss_kib" to $work/NAME.times
measure() {
  local name="$1" dir="$2"; shift 2
  local t0 t1
  t0=$EPOCHREALTIME
  (cd "$dir" && /usr/bin/time -f '%U %S %M' -o "$work/.time" "$@" >/dev/null 2>"$work/.stderr") \
    || { echo "failed: $* (in $dir)" >&2; cat "$work/.stderr" >&2; exit 1; }
  t1=$EPOCHREALTIME
  read -r user sys rss < <(tail -1 "$work/.time")
  awk -v a="$t0" -v b="$t1" -v u="$user" -v s="$sys" -v r="$rss" \
      'BEGIN { printf "%.1f %.0f %d\n", (b - a) * 1000, (u + s) * 1000, r }' >> "$work/$name.times"
}
fresh() { rm -rf "$1/.installed.cfg" "$1/parts" "$1/bin" "$1/develop-eggs"; }

rm -f "$work"/*.times
for i in $(seq 1 "$runs"); do
  measure ours-rerun "$work/ours-rerun" "$slapos" buildout -c buildout.cfg
  measure theirs-rerun "$work/theirs-rerun" "$zc" -c buildout.cfg
  fresh "$work/ours-first";   measure ours-first "$work/ours-first" "$slapos" buildout -c buildout.cfg
  fresh "$work/theirs-first"; measure theirs-first "$work/theirs-first" "$zc" -c buildout.cfg
  measure ours-resolve "$work/resolve-ours" "$slapos" buildout -c ../resolve.cfg resolve --json
  measure theirs-resolve "$work/resolve-theirs" "$zc" -c ../resolve.cfg annotate
  measure ours-version "$work" "$slapos" --version
  measure theirs-version "$work" "$zc" --version
  measure ours-help "$work" "$slapos" --help
  if [ -n "$old" ]; then
    measure old-rerun "$work/old-rerun" "$old" buildout -c buildout.cfg
    measure old-version "$work" "$old" --version
    measure old-help "$work" "$old" --help
  fi
done

median() {  # $1: file, $2: column -> median
  awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
row() {  # $1 scenario label, $2 name
  local ow oc orss tw tc trss
  ow=$(median "$work/ours-$2.times" 1); oc=$(median "$work/ours-$2.times" 2); orss=$(median "$work/ours-$2.times" 3)
  if [ -f "$work/theirs-$2.times" ]; then
    tw=$(median "$work/theirs-$2.times" 1); tc=$(median "$work/theirs-$2.times" 2); trss=$(median "$work/theirs-$2.times" 3)
    awk -v l="$1" -v ow="$ow" -v oc="$oc" -v orss="$orss" -v tw="$tw" -v tc="$tc" -v tr="$trss" 'BEGIN {
      printf "| %s | %.0f ms, %.0f ms CPU, %.1f MiB | %.0f ms, %.0f ms CPU, %.1f MiB | %.2fx | %.2fx | %.2fx |\n",
             l, ow, oc, orss / 1024, tw, tc, tr / 1024, tw / ow, tc / oc, orss / tr }'
  else
    awk -v l="$1" -v ow="$ow" -v oc="$oc" -v orss="$orss" 'BEGIN {
      printf "| %s | %.0f ms, %.0f ms CPU, %.1f MiB | | | | |\n", l, ow, oc, orss / 1024 }'
  fi
}
oldrow() {  # $1 scenario label, $2 name: this build against the OLD one
  local ow oc orss nw nc nrss
  nw=$(median "$work/ours-$2.times" 1); nc=$(median "$work/ours-$2.times" 2); nrss=$(median "$work/ours-$2.times" 3)
  ow=$(median "$work/old-$2.times" 1); oc=$(median "$work/old-$2.times" 2); orss=$(median "$work/old-$2.times" 3)
  awk -v l="$1" -v nw="$nw" -v nc="$nc" -v nr="$nrss" -v ow="$ow" -v oc="$oc" -v orr="$orss" 'BEGIN {
    printf "| %s | %.0f ms, %.0f ms CPU, %.1f MiB | %.0f ms, %.0f ms CPU, %.1f MiB | %.2fx | %.2fx | %.2fx |\n",
           l, nw, nc, nr / 1024, ow, oc, orr / 1024, ow / nw, oc / nc, nr / orr }'
}
echo
echo "whole process, median of $runs alternating runs; $(date -u '+%F %H:%M') UTC, $(nproc) cores, load $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "$(java -version 2>&1 | head -1); $("$zc" --version 2>&1 | head -1); work dir $work"
echo
echo "| scenario | slapos (wall, CPU, peak RSS) | zc.buildout | wall ratio (zc/ours) | CPU ratio | RSS ratio (ours/zc) |"
echo "|---|---|---|---|---|---|"
row "re-run, 100 unchanged parts" rerun
row "first install, 100 parts" first
row "resolve 1,000 sections (zc: annotate)" resolve
row "--version" version
row "--help" help
if [ -n "$old" ]; then
  echo
  echo "this build against OLD=$old, alternately"
  echo
  echo "| scenario | this build (wall, CPU, peak RSS) | old | wall ratio (old/new) | CPU ratio | RSS ratio (new/old) |"
  echo "|---|---|---|---|---|---|"
  oldrow "re-run, 100 unchanged parts" rerun
  oldrow "--version" version
  oldrow "--help" help
fi
