/** TOTP against the published test vectors (RFC 4226 appendix D, RFC 6238 appendix B), base32 and the window. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base32Decode, base32Encode, groupSecret, hotp, matchTotp, normaliseTotpInput, otpauthUri, totpCode, totpStep } from '../../../src/domain/auth/totp.ts';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('HOTP and TOTP', () => {
  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [9, '520489'],
  ])('HOTP counter %i is %s (RFC 4226)', (counter, code) => {
    expect(hotp(RFC_SECRET, counter)).toBe(code);
  });

  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('TOTP at %i seconds is %s (RFC 6238, SHA-1, last six digits)', (seconds, code) => {
    expect(totpCode(RFC_SECRET, new Date(seconds * 1000))).toBe(code);
  });

  it('accepts the step before and after now, and not two away; says which step matched', () => {
    const at = new Date(1_234_567_890_000);
    const now = totpStep(at);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, now), at)).toBe(now);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, now - 1), at)).toBe(now - 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, now + 1), at)).toBe(now + 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, now - 2), at)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, now + 2), at)).toBeUndefined();
  });

  it('reads a typed code with spaces, and refuses anything but six digits', () => {
    expect(normaliseTotpInput(' 123 456 ')).toBe('123456');
    expect(normaliseTotpInput('123-456')).toBe('123456');
    expect(normaliseTotpInput('12345')).toBeUndefined();
    expect(normaliseTotpInput('12345a')).toBeUndefined();
  });
});

describe('base32 and the otpauth URI', () => {
  it('encodes the RFC 4648 examples', () => {
    const cases: [string, string][] = [['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(base32Decode(encoded.toLowerCase()))).toBe(plain);
    }
    expect(base32Decode('MZ1W')).toBeUndefined();
  });

  it('decodes what it encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      expect(base32Decode(groupSecret(base32Encode(bytes)))).toEqual(bytes);
    }));
  });

  it('names the issuer and account, and the parameters apps need', () => {
    const uri = otpauthUri({ issuer: 'Redress', account: 'sam@council.example', secret: 'JBSWY3DPEHPK3PXP' });
    expect(uri).toBe('otpauth://totp/Redress:sam%40council.example?secret=JBSWY3DPEHPK3PXP&issuer=Redress&algorithm=SHA1&digits=6&period=30');
  });
});
