/**
 * The identity commands beyond plain `setX`/`delX`: `gensecret`, and the
 * certificate's `setcert FILE` (stores the file's content), `gencert`,
 * `delcert`.
 * @module
 */
import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { ID_ALPHABET } from '../../index.js';
import { generateCertPem, readCertFile } from '../certificate.js';
import type { CliContext } from '../context.js';
import { edit, inGroup, TARGET_NOTE } from './shared.js';

/** A fresh secret: 64 random characters of `0-9A-Za-z` (Perl's patched `aemp gensecret`). */
export function generateSecret(length = 64): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

/** Registers `gensecret`, `setcert`, `gencert`, `delcert`. */
export function registerIdentityCommands(program: Command, ctx: CliContext): void {
  inGroup(
    program
      .command('gensecret')
      .description('set secret to 64 fresh random alphanumeric characters')
      .addHelpText(
        'after',
        `\n${TARGET_NOTE}\nCopy the rc file (or the secret) to every host of the network.`,
      )
      .action(() => edit(() => ctx.editor().setKey(ctx.target, 'secret', generateSecret()))),
    'identity',
  );
  inGroup(
    program
      .command('setcert')
      .alias('cert')
      .argument('<file>', 'a PEM file holding the certificate and its private key')
      .description('store a certificate and key (PEM) as cert: enables TLS')
      .addHelpText('after', `\n${TARGET_NOTE}\nThe file's content is stored in the rc file, not its name.`)
      .action((file: string) => {
        const pem = readCertFile(file);
        edit(() => ctx.editor().setKey(ctx.target, 'cert', pem));
      }),
    'identity',
  );
  inGroup(
    program
      .command('gencert')
      .description(
        'generate a self-signed certificate (openssl, RSA 2048, CN=AnyEvent::MP) and store it as cert',
      )
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action(async () => {
        const pem = await generateCertPem();
        edit(() => ctx.editor().setKey(ctx.target, 'cert', pem));
      }),
    'identity',
  );
  inGroup(
    program
      .command('delcert')
      .description('remove cert')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action(() => edit(() => ctx.editor().delKey(ctx.target, 'cert'))),
    'identity',
  );
}
