/**
 * Scenario 4: edge values sent by Perl (undef, 1 MB string, 100-deep nesting, byte strings,
 * UTF-8-flagged strings, integers beyond 2^53 up to the 64-bit limits, Math::BigInt), in JSON
 * and CBOR framing: what arrives on ours, and whether Perl gets back an `eq` value when ours
 * echoes it. An integer beyond ±(2^53−1) must arrive on ours as that exact BigInt.
 *
 * What Perl can send: plain integers (IV/UV, -2^63 … 2^64−1) in both framings — JSON::XS writes
 * their digits, CBOR::XS a major type 0/1 integer. Math::BigInt only in CBOR: CBOR::XS writes
 * one within ±2^31 as a plain integer and any other as a tag 2 bignum (negative ones beyond
 * ±2^31 it cannot encode correctly, and it decodes tag 3 as −n, not −1−n: not asked here);
 * JSON::XS refuses to encode a Math::BigInt at all, so the JSON run does not ask for those.
 * usage: npx tsx edge.ts [json|cbor]
 */
import { PerlNode, tsNode, SECRET, check, summary, logNode } from './lib.js';

const framing = process.argv[2] ?? 'cbor';
const tag = `edge-${framing}`;
const perl = new PerlNode(tag, { nodeid: 'pedge', binds: ['127.0.0.1:0'], secret: SECRET });
await perl.start();
const node = await tsNode({
  nodeid: 'tsedge',
  framingFormat: [framing],
  addresses: { pedge: perl.ready.binds },
});
logNode(node, tag);

const inbox: unknown[][] = [];
const echo = node.port((m) => {
  inbox.push([...m]);
  const r = m[m.length - 1] as string;
  node.snd(r, ...m.slice(0, -1));
});

const describe = (v: unknown, d = 0): string => {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `string(len=${v.length}${v.length < 40 ? ' ' + JSON.stringify(v) : ''})`;
  if (typeof v === 'bigint') return `bigint(${v})`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${Buffer.from(v).toString('hex')})`;
  if (Array.isArray(v)) {
    let n = 0,
      x: unknown = v;
    while (Array.isArray(x) && x.length === 1) {
      n++;
      x = x[0];
    }
    return n > 3
      ? `array-depth ${n} → ${describe(x, d + 1)}`
      : `[${v.map((e) => describe(e, d + 1)).join(',')}]`;
  }
  if (typeof v === 'object')
    return `${(v as object).constructor?.name ?? 'Object'}${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x))?.slice(0, 60)}`;
  return `${typeof v}(${String(v)})`;
};

node.snd(perl.ready.ports.sink, 'hi');
await perl.waitFor((e) => e.ev === 'msg' && e.msg[0] === 'hi', 8);
const setup = `
use Math::BigInt;
sub ::deq { my (\$x, \$y) = @_;
  return !defined \$y if !defined \$x; return 0 if !defined \$y;
  if (ref \$x eq 'ARRAY') { return 0 unless ref \$y eq 'ARRAY' && @\$x == @\$y; ::deq(\$x->[\$_], \$y->[\$_]) || return 0 for 0..\$#\$x; return 1 }
  if (ref \$x eq 'HASH') { return 0 unless ref \$y eq 'HASH' && keys %\$x == keys %\$y; ::deq(\$x->{\$_}, \$y->{\$_}) || return 0 for keys %\$x; return 1 }
  return "\$x" eq "\$y" }
sub ::desc { my \$v = shift; return 'undef' unless defined \$v; my \$r = ref \$v;
  if (\$r eq 'ARRAY') { my \$n = 0; while (ref \$v eq 'ARRAY' && @\$v == 1) { \$n++; \$v = \$v->[0] } return "ARRAY depth \$n -> " . ::desc(\$v) }
  return "\$r(\$v)" if \$r;
  my \$s = "\$v"; return sprintf "scalar(len=%d utf8=%d %s)", length \$s, utf8::is_utf8(\$s) ? 1 : 0, length \$s >= 40 ? '' : \$s =~ /^[\\x20-\\x7e]*\$/ ? qq("\$s") : join '', map { sprintf '\\\\x{%x}', ord } split //, \$s }
%::E = (
  bigint => Math::BigInt->new("123456789012345678901234567890"),
  smallbigint => Math::BigInt->new("42"),
  undef => undef,
  long => ("x" x 1_000_000),
  longutf8 => do { my \$s = ("\\x{e9}" x 500_000); utf8::upgrade(\$s); \$s },
  nested => do { my \$v = "leaf"; \$v = [\$v] for 1..100; \$v },
  bytes => "\\xff\\xfe\\x80abc\\x00",
  latin1 => "h\\xe9llo",
  latin1_upgraded => do { my \$s = "h\\xe9llo"; utf8::upgrade(\$s); \$s },
  utf8 => "h\\x{e9}llo \\x{2713} \\x{1F600}",
  bigfloat => 1e300, negzero => -0.0, int64 => 9007199254740993, uint64max => 18446744073709551615,
  int63max => 9223372036854775807, int64min => -9223372036854775807 - 1, nint53 => -9007199254740993,
  bigint63 => Math::BigInt->new("9223372036854775807"),
  emptyhash => {}, numstr => "0042",
);
$::CMP = port { my (\$k, \$v) = @_; \$PerlTest::OUT->({ ev => "edge", k => \$k, eq => (::deq($::E{$k}, $v) ? 1 : 0), got => ::desc(\$v), sent => ::desc($::E{$k}) }) };
1`;
const r = await perl.cmd({ cmd: 'eval', code: setup });
if (r.error) {
  console.log('perl setup error', r.error);
  process.exit(1);
}
// Math::BigInt objects: CBOR::XS sends them (tag 2, or a plain integer when small); JSON::XS cannot
const bigintKeys = framing === 'cbor' ? ['bigint', 'smallbigint', 'bigint63'] : [];
if (framing !== 'cbor') console.log('# json: no Math::BigInt values (JSON::XS refuses to encode them)');
/** The exact value ours must see for the integer keys: a BigInt beyond ±(2^53−1), else a number. */
const exact: Record<string, bigint | number> = {
  int64: 9007199254740993n,
  int63max: 2n ** 63n - 1n,
  int64min: -(2n ** 63n),
  nint53: -9007199254740993n,
  uint64max: 2n ** 64n - 1n,
  bigint: 123456789012345678901234567890n,
  bigint63: 2n ** 63n - 1n,
  smallbigint: 42,
};
const keys = [
  ...bigintKeys,
  'undef',
  'long',
  'longutf8',
  'nested',
  'bytes',
  'latin1',
  'latin1_upgraded',
  'utf8',
  'bigfloat',
  'negzero',
  'int64',
  'int63max',
  'int64min',
  'nint53',
  'uint64max',
  'emptyhash',
  'numstr',
];
for (const k of keys) {
  await check(
    `[${framing}] ${k}: Perl→ours→Perl eq`,
    async () => {
      const before = inbox.length;
      const s = await perl.cmd({ cmd: 'eval', code: `snd "${echo.id}", "${k}", $::E{${k}}, $::CMP; 1` });
      if (s.error) throw new Error('perl snd died: ' + s.error);
      let e;
      try {
        e = await perl.waitFor((e) => e.ev === 'edge' && e.k === k, 6);
      } catch {
        throw new Error(
          `no echo back; ours got ${inbox.length > before ? describe(inbox[inbox.length - 1]![1]) : 'nothing'}`,
        );
      }
      const ours = inbox.find((m) => m[0] === k);
      const detail = `ours: ${ours ? describe(ours[1]) : '?'} | perl sent ${e.sent} got ${e.got}`;
      if (k in exact && ours?.[1] !== exact[k])
        throw new Error(
          `ours did not get exactly ${describe(exact[k])}${e.eq ? '' : ', and NOT eq'}: ${detail}`,
        );
      if (!e.eq) throw new Error('NOT eq: ' + detail);
      return detail;
    },
    10,
  );
}
await check('connection still up, plain message ok', async () => {
  const s = await perl.cmd({ cmd: 'eval', code: `snd "${echo.id}", "plain", "p", $::CMP; 1` });
  await perl.waitFor((e) => e.ev === 'edge' && e.k === 'plain', 5);
  return JSON.stringify(s);
});
const code = summary();
perl.kill();
await node.close();
process.exit(code);
