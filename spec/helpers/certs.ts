/**
 * Test certificates made with the `openssl` CLI in a temp dir, shaped like
 * Perl's `aemp gencert` output: one PEM with an RSA 2048 self-signed
 * certificate (CN AnyEvent::MP) and its private key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp dir for certificate files; `cleanup()` removes it. */
export interface CertDir {
  readonly dir: string;
  cleanup(): void;
}

/** Makes a temp dir for certificates. */
export function certDir(): CertDir {
  const dir = mkdtempSync(join(tmpdir(), 'aemp-certs-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Like `aemp gencert`: RSA 2048 self-signed, CN AnyEvent::MP, key and
 * certificate in one PEM (returned as text). Every node sharing it trusts
 * the others.
 */
export function selfSignedPem(d: CertDir, name = 'node'): string {
  const file = join(d.dir, `${name}.pem`);
  openssl(
    [
      'req',
      '-new',
      '-nodes',
      '-x509',
      '-days',
      '3650',
      '-newkey',
      'rsa:2048',
      '-subj',
      '/CN=AnyEvent::MP',
      '-keyout',
      file,
      '-out',
      `${file}.crt`,
    ],
    d.dir,
  );
  const pem = readFileSync(file, 'utf8') + readFileSync(`${file}.crt`, 'utf8');
  writeFileSync(file, pem);
  return pem;
}

/**
 * A throwaway CA and node PEMs signed by it. Each node PEM holds the node's
 * certificate, its key and the CA certificate (so the PEM is also the CA
 * list, as Perl uses it).
 */
export function caSignedPems(
  d: CertDir,
  names: readonly string[],
): { caPem: string; nodes: Record<string, string> } {
  openssl(
    [
      'req',
      '-new',
      '-nodes',
      '-x509',
      '-days',
      '3650',
      '-newkey',
      'rsa:2048',
      '-subj',
      '/CN=aemp test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    d.dir,
  );
  const caCrt = readFileSync(join(d.dir, 'ca.crt'), 'utf8');
  const nodes: Record<string, string> = {};
  for (const n of names) {
    openssl(
      [
        'req',
        '-new',
        '-nodes',
        '-newkey',
        'rsa:2048',
        '-subj',
        `/CN=${n}`,
        '-keyout',
        `${n}.key`,
        '-out',
        `${n}.csr`,
      ],
      d.dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${n}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '3650',
        '-out',
        `${n}.crt`,
      ],
      d.dir,
    );
    nodes[n] =
      readFileSync(join(d.dir, `${n}.crt`), 'utf8') + readFileSync(join(d.dir, `${n}.key`), 'utf8') + caCrt;
  }
  return { caPem: caCrt + readFileSync(join(d.dir, 'ca.key'), 'utf8'), nodes };
}
