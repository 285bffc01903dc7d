/**
 * The HMAC key is the secret's octets as a Perl node takes them: Perl reads
 * the rc file into a character string, and Digest::HMAC uses each character
 * below 256 as one octet (latin1), so `"sécret"` keys with `73 e9 63 72 65 74`,
 * not with its UTF-8.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretOctets } from '../../src/streams/transport/options.js';

describe('secret octets', () => {
  it('ASCII secrets are their bytes', () => {
    expect(secretOctets('s3cret').toString('hex')).toBe('733363726574');
  });

  it('characters up to U+00FF are one octet each, as in Perl', () => {
    expect(secretOctets('sécret').toString('hex')).toBe('73e963726574');
    const perlKey = Buffer.from([0x73, 0xe9, 0x63, 0x72, 0x65, 0x74]);
    const mac = (key: Buffer) => createHmac('sha3-512', key).update('a\nb\nc\nd\n').digest('hex');
    expect(mac(secretOctets('sécret'))).toBe(mac(perlKey));
  });

  it('wider characters (which Perl would refuse) fall back to UTF-8', () => {
    expect(secretOctets('s€').toString('hex')).toBe('73e282ac');
  });
});
