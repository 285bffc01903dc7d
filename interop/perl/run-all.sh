#!/bin/sh
# Every interop scenario against a real Perl AnyEvent::MP 2.x node (see README.md beside this file).
# From the project root: npm run interop   (or: sh interop/perl/run-all.sh)
cd "$(dirname "$0")/../.." || exit 1
T=interop/perl
LIB="${PERLMP_LIB:-/tmp/perlmp/lib}"
if [ ! -f "$LIB/AnyEvent/MP.pm" ]; then
  echo "interop: no Perl AnyEvent::MP 2.x in $LIB (set PERLMP_LIB); see interop/perl/README.md. Nothing run."
  exit 0
fi
LOGS="${INTEROP_LOGS:-.tmp/interop-logs}"
mkdir -p "$LOGS"
if [ ! -f "$LOGS/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$LOGS/key.pem" -out "$LOGS/crt.pem" -days 30 -subj /CN=AnyEvent::MP 2>/dev/null &&
    cat "$LOGS/crt.pem" "$LOGS/key.pem" > "$LOGS/cert.pem"
fi
for d in perl-listens ts-listens; do
  for f in default json cbor perljson mixed; do timeout 120 npx tsx $T/basic.ts $d $f; done
  timeout 120 npx tsx $T/basic.ts $d default tls
done
timeout 150 npx tsx $T/db.ts perl-seed
timeout 150 npx tsx $T/db.ts ts-seed
timeout 150 npx tsx $T/fail.ts
timeout 60 npx tsx $T/race.ts
timeout 150 npx tsx $T/mesh.ts
timeout 150 npx tsx $T/mesh.ts pg-first
timeout 120 npx tsx $T/edge.ts cbor
timeout 120 npx tsx $T/edge.ts json
timeout 200 npx tsx $T/nodeport.ts cbor
timeout 200 npx tsx $T/nodeport.ts json
timeout 280 npx tsx $T/cli.ts
timeout 120 npx tsx $T/secure.ts
