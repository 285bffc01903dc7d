#!/bin/sh
# Every interop scenario against a real Perl AnyEvent::MP 2.x node (see README.md beside this file).
# From the project root: npm run interop   (or: sh interop/perl/run-all.sh)
# Runs every scenario, prints one line per scenario (pass/FAIL), and exits 1 when any failed
# or when it cannot run at all (no Perl sources, Perl modules missing, no openssl).
cd "$(dirname "$0")/../.." || exit 1
T=interop/perl
LIB="${PERLMP_LIB:-/tmp/perlmp/lib}"
if [ ! -f "$LIB/AnyEvent/MP.pm" ]; then
  echo "interop: CANNOT RUN: no Perl AnyEvent::MP 2.x in $LIB (set PERLMP_LIB); see interop/perl/README.md." >&2
  exit 1
fi
if ! ERR=$(perl -I"$LIB" -MAnyEvent::MP -MAnyEvent::MP::Global -MCBOR::XS -e 'AnyEvent::MP->VERSION(2)' 2>&1); then
  echo "interop: CANNOT RUN: Perl cannot load AnyEvent::MP 2.x from $LIB with its dependencies:" >&2
  echo "$ERR" >&2
  echo "see interop/perl/README.md for the Debian packages it needs." >&2
  exit 1
fi
LOGS="${INTEROP_LOGS:-.tmp/interop-logs}"
mkdir -p "$LOGS"
if [ ! -f "$LOGS/cert.pem" ]; then
  if ! openssl req -x509 -newkey rsa:2048 -nodes -keyout "$LOGS/key.pem" -out "$LOGS/crt.pem" -days 30 -subj /CN=AnyEvent::MP 2>/dev/null; then
    echo "interop: CANNOT RUN: openssl could not make the TLS certificate (is openssl installed?)" >&2
    exit 1
  fi
  cat "$LOGS/crt.pem" "$LOGS/key.pem" > "$LOGS/cert.pem"
fi

RESULTS=""
FAILED=0
# run SECONDS SCRIPT ARGS...: one scenario under a timeout; a non-zero exit (failed check,
# crash, timeout) marks it failed
run() {
  limit=$1
  shift
  name="$(basename "$1" .ts)${2:+ $2}${3:+ $3}${4:+ $4}"
  echo "=== $name"
  timeout "$limit" npx tsx "$T/$@"
  rc=$?
  if [ $rc -eq 0 ]; then
    RESULTS="$RESULTS
pass  $name"
  else
    [ $rc -eq 124 ] && why=" (timed out after ${limit}s)" || why=" (exit $rc)"
    RESULTS="$RESULTS
FAIL  $name$why"
    FAILED=$((FAILED + 1))
  fi
}

for d in perl-listens ts-listens; do
  for f in default json cbor perljson mixed; do run 120 basic.ts $d $f; done
  run 120 basic.ts $d default tls
done
run 150 db.ts perl-seed
run 150 db.ts ts-seed
run 150 fail.ts
run 60 race.ts
run 150 mesh.ts
run 150 mesh.ts pg-first
run 120 edge.ts cbor
run 120 edge.ts json
run 200 nodeport.ts cbor
run 200 nodeport.ts json
run 280 cli.ts
run 120 secure.ts
run 240 crossing.ts
run 240 crossing.ts 100 perl-larger
# scenarios other branches add (run once merged)
if [ -f "$T/liveness.ts" ]; then for f in json cbor; do run 180 liveness.ts $f; done; fi
if [ -f "$T/bigdb.ts" ]; then for m in ts-seed perl-seed mesh; do run 200 bigdb.ts $m; done; fi

echo
echo "interop summary:$RESULTS"
if [ "$FAILED" -gt 0 ]; then
  echo "interop: $FAILED scenario(s) FAILED (logs in $LOGS)"
  exit 1
fi
echo "interop: every scenario passed"
