#!/usr/bin/env bash
# What a newcomer does with the package, checked end to end (`npm run test:package`):
#   npm pack (dist/ removed first: the prepare script must build it), the
#   tarball's contents, install into a fresh folder (no warning), import,
#   require, a loopback round trip through the installed package, tsc on
#   consumer files against the shipped .d.ts (nodenext, strict, skipLibCheck
#   off), npx aemp --help, npm ls --all, publint, @arethetypeswrong/cli.
# Needs only the npm registry (prefers the local cache). Exits non-zero on the
# first failure; prints each check as it passes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/node_modules/.bin
started=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aemp-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
NPM_QUIET=(--no-audit --no-fund --prefer-offline --loglevel=warn)

ok() { printf 'ok   %s\n' "$1"; }
fail() {
  printf 'FAIL %s\n' "$1"
  [ $# -gt 1 ] && printf '%s\n' "$2"
  exit 1
}
# run "what" cmd...: runs cmd, fails with its output if it fails
run() {
  local what=$1 out
  shift
  out=$("$@" 2>&1) || fail "$what" "$out"
  ok "$what"
}

node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  fail "Node >= 20.19 is needed (require of an ES module); this is $(node --version)"

# --- npm pack, from a tree without dist/: prepare must build it ----------------------------
rm -rf dist
out=$(npm pack --pack-destination "$WORK" "${NPM_QUIET[@]}" 2>&1) || fail "npm pack" "$out"
TGZ=$(ls "$WORK"/aemp-*.tgz 2>/dev/null) || fail "npm pack made no tarball" "$out"
LIST=$(tar -tzf "$TGZ")
grep -qx package/dist/index.js <<<"$LIST" || fail "npm pack did not build dist/ (the prepare script)" "$out"
ok "npm pack builds dist/ itself ($(basename "$TGZ"), $(($(wc -c <"$TGZ") / 1024)) KiB)"

for f in package/LICENSE package/README.md package/package.json package/bin/aemp.js \
  package/dist/index.js package/dist/index.d.ts package/dist/classic.js package/dist/classic.d.ts package/dist/cli/main.js; do
  grep -qx "$f" <<<"$LIST" || fail "the tarball lacks $f"
done
if grep -E '^package/(src|spec|bench|interop|examples|marbles|scripts)/' <<<"$LIST" >/dev/null; then
  fail "the tarball ships development folders" "$(grep -E '^package/(src|spec|bench|interop|examples|marbles|scripts)/' <<<"$LIST" | head)"
fi
ok "the tarball holds LICENSE, README, bin, dist (js, d.ts) and no sources or tests"

mkdir -p "$WORK/unpacked"
tar -xzf "$TGZ" -C "$WORK/unpacked"
PKG=$WORK/unpacked/package
internal=$(grep -rl '@internal' "$PKG/dist" --include='*.d.ts' || true)
[ -z "$internal" ] || fail "@internal declarations are shipped" "$internal"
ok "no @internal in the shipped declarations"
maps=0
while IFS= read -r map; do
  maps=$((maps + 1))
  grep -q '"sourcesContent"' "$map" || fail "source map without its sources: ${map#"$PKG"/}"
done < <(find "$PKG/dist" -name '*.map')
ok "all $maps source maps carry their sources"

# --- install into a fresh folder ---------------------------------------------------------
APP=$WORK/app
mkdir -p "$APP"
# allowScripts: npm 11 lists the `prepare` script (our build) of a dependency that comes from a
# file or git, not from the registry, as an install script to review. A tarball consumer does
# not need it (dist/ is in the tarball) and says so; any other install script still warns.
cat >"$APP/package.json" <<EOF
{ "name": "aemp-consumer", "version": "1.0.0", "private": true, "type": "module",
  "allowScripts": { "file:$TGZ": false } }
EOF
out=$(cd "$APP" && npm install "$TGZ" "${NPM_QUIET[@]}" 2>&1) || fail "npm install of the tarball" "$out"
if grep -i 'warn' <<<"$out" >/dev/null; then fail "npm install of the tarball printed warnings" "$out"; fi
ok "npm install of the tarball into a fresh folder, no warning"
run "npm ls --all is clean" sh -c "cd '$APP' && npm ls --all"

# --- import and require ------------------------------------------------------------------
cat >"$APP/esm.mjs" <<'EOF'
import assert from 'node:assert/strict';
import { createNode, ConnectionError, PortKilled, CallTimeout, ConfigError, DeltaBufferOverflow } from 'aemp';
import * as classic from 'aemp/classic';
for (const E of [ConnectionError, PortKilled, CallTimeout, ConfigError, DeltaBufferOverflow]) assert.equal(typeof E, 'function');
assert.equal(typeof classic.snd, 'function');
// a real loopback node from the installed package: a message to our own port, then close
const node = await createNode({ nodeid: 'consumer/', binds: ['127.0.0.1:0'], secret: 's3cret', norc: true, stderrLog: false });
const got = await new Promise((resolve) => {
  const port = node.port().rcv('ping', (msg) => resolve(msg));
  node.snd(port.id, 'ping', 42);
});
assert.deepEqual(got, [42]);
await node.close();
console.log('esm ok');
EOF
cat >"$APP/cjs.cjs" <<'EOF'
const assert = require('node:assert/strict');
const aemp = require('aemp');
const classic = require('aemp/classic');
assert.equal(typeof aemp.createNode, 'function');
assert.equal(typeof aemp.ConnectionError, 'function');
assert.equal(typeof classic.configure, 'function');
assert.equal(require('aemp/package.json').name, 'aemp');
console.log('cjs ok');
EOF
run "import 'aemp' and 'aemp/classic' (ESM), a loopback message through the installed package" \
  sh -c "cd '$APP' && node esm.mjs"
out=$(cd "$APP" && node cjs.cjs 2>&1) || fail "require('aemp') (CommonJS)" "$out"
[ "$out" = "cjs ok" ] || fail "require('aemp') printed more than expected" "$out"
ok "require('aemp') and require('aemp/classic') (CommonJS, Node $(node --version)), no warning"

# --- type-check consumers against the shipped .d.ts --------------------------------------
cat >"$APP/consumer.ts" <<'EOF'
import { createNode, ofTag, PortKilled, ConnectionError, type NodeOptions, type ConnectionErrorCode } from 'aemp';
import { snd } from 'aemp/classic';

const options: NodeOptions = { nodeid: 'typed/', binds: ['127.0.0.1:0'] };
export async function main(): Promise<string> {
  const node = await createNode({ ...options, norc: true });
  const port = node.port();
  port.messages.pipe(ofTag('x')).subscribe();
  snd(port.id, 'x');
  await node.close();
  return port.id;
}
export function codeOf(e: unknown): string | undefined {
  if (e instanceof PortKilled) return e.code;
  if (e instanceof ConnectionError) {
    const code: ConnectionErrorCode = e.code;
    return code;
  }
  return undefined;
}
EOF
cat >"$APP/consumer.cts" <<'EOF'
import aemp = require('aemp');
export const make: typeof aemp.createNode = aemp.createNode;
EOF
cat >"$APP/tsconfig.json" <<EOF
{
  "compilerOptions": {
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "ES2022",
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true,
    "types": ["node"],
    "typeRoots": ["$ROOT/node_modules/@types"]
  },
  "files": ["consumer.ts", "consumer.cts"]
}
EOF
run "tsc (nodenext, strict, skipLibCheck off) on an ESM and a CommonJS consumer of the shipped .d.ts" \
  sh -c "cd '$APP' && '$BIN/tsc' -p tsconfig.json"

# --- the command -------------------------------------------------------------------------
out=$(cd "$APP" && npx --no-install aemp --help 2>&1) || fail "npx aemp --help" "$out"
grep -q 'Usage' <<<"$out" || fail "npx aemp --help printed no usage" "$out"
ok "npx aemp --help"

# --- the ecosystem's package linters -----------------------------------------------------
run "publint --strict (no error, no warning)" "$BIN/publint" run "$PKG" --strict
# cjs-resolves-to-esm is attw's own rule that `require` of an ES module fails; Node >= 20.19 (our
# engines) and TypeScript >= 5.8 under nodenext allow it, and the require/tsc checks above prove it.
run "@arethetypeswrong/cli: no problem for node10, node16 (ESM, CJS) and bundlers" \
  "$BIN/attw" "$TGZ" --no-color --ignore-rules cjs-resolves-to-esm

echo "test:package: all checks passed in $(($(date +%s) - started))s"
