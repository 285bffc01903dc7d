/**
 * `gencert` and `setcert`: the node certificate is one PEM text holding a
 * certificate and its private key, stored as the `cert` value (PROTOCOL.md
 * §11.3). `gencert` makes a self-signed RSA 2048 certificate with
 * CN=AnyEvent::MP using the `openssl` command, as Perl's `aemp` does.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { CliError } from './errors.js';

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const KEY_RE = /-----BEGIN ((?:RSA |EC |DSA )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/**
 * Checks that `pem` holds a certificate and an unencrypted private key that
 * OpenSSL accepts together.
 * @throws CliError saying what is missing or wrong, naming `source`.
 */
export function checkCertPem(pem: string, source: string): void {
  const cert = CERT_RE.exec(pem)?.[0];
  const key = KEY_RE.exec(pem)?.[0];
  if (cert === undefined) throw new CliError(`${source}: no certificate (BEGIN CERTIFICATE) found`);
  if (key === undefined) {
    const encrypted = /BEGIN ENCRYPTED PRIVATE KEY/.test(pem) ? ' (an encrypted key cannot be used)' : '';
    throw new CliError(`${source}: no private key (BEGIN PRIVATE KEY) found${encrypted}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw new CliError(`${source}: certificate and key are not usable together: ${(e as Error).message}`);
  }
}

/** Reads and checks a PEM file for `setcert`. */
export function readCertFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  checkCertPem(pem, file);
  return pem;
}

/**
 * Makes a self-signed certificate and key with `openssl req` (RSA 2048,
 * CN=AnyEvent::MP, valid for 99999 days) and returns them as one PEM
 * text: the certificate, then the key.
 * @throws CliError when openssl is missing or fails.
 */
export async function generateCertPem(openssl = 'openssl'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aemp-gencert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    const args = [
      'req',
      '-new',
      '-x509',
      '-nodes',
      '-days',
      '99999',
      '-newkey',
      'rsa:2048',
      '-subj',
      '/CN=AnyEvent::MP',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(openssl, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
        if (err === null) return resolve();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(
            new CliError(
              'gencert needs the openssl command, which was not found (install openssl, or use setcert FILE)',
            ),
          );
        } else {
          reject(new CliError(`openssl failed: ${String(stderr).trim() || err.message}`));
        }
      });
    });
    const pem = `${readFileSync(certFile, 'utf8').trim()}\n${readFileSync(keyFile, 'utf8').trim()}\n`;
    checkCertPem(pem, 'openssl output');
    return pem;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
