import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalise, canonicaliseByExtractor, fastPath } from './canonical.ts';

describe('canonicalise fast paths', () => {
  it('give exactly what the extraction library gives, with and without a type hint', () => {
    const inputs: string[] = [];
    for (let i = 0; i < 60; i++) {
      for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) {
        const h = createHash(alg).update(String(i)).digest('hex');
        inputs.push(h, h.toUpperCase());
      }
      inputs.push(`${i % 256}.${(i * 7) % 256}.${(i * 13) % 256}.${(i * 31) % 256}`);
    }
    inputs.push(
      '12345678901234567890123456789012',
      '0'.repeat(32),
      '0'.repeat(40),
      '01.2.3.4',
      '1.2.3.004',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '1.2.3',
      '999.999.999.999',
      'g'.repeat(32),
      'ABCDEF0123456789ABCDEF0123456789',
    );
    let fast = 0;
    for (const x of inputs) {
      if (fastPath(x)) fast++;
      expect(canonicalise(x), x).toEqual(canonicaliseByExtractor(x));
      for (const hint of ['md5', 'sha1', 'sha256', 'sha512', 'ipv4', 'domain', 'phone'])
        expect(canonicalise(x, hint), `${x} as ${hint}`).toEqual(canonicaliseByExtractor(x, hint));
    }
    expect(fast).toBeGreaterThan(500);
  });
});
