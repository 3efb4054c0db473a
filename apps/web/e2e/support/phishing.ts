import { e2ePort, repoRoot } from './env';

// The requests browser test's outside world (issue 11): twenty phishing hosts under two hosting providers, served by
// support/sites.mjs on loopback addresses, and an SMTP sink writing each notice to a folder. Reserved example.jp names;
// the server maps them to the addresses with RENKEI_TEST_HOSTS (honoured only when NODE_ENV=test).

/** The fake sites' HTTP port (all addresses). */
export const sitesPort = e2ePort + 11;
/** The SMTP sink's port (127.0.0.1). */
export const smtpPort = e2ePort + 25;
/** Where the SMTP sink writes each message it receives (one .eml file each); wiped when the sink starts. */
export const mailDir = `${repoRoot}.tmp/e2e-${e2ePort}-mail`;

export interface PhishingHost {
  host: string;
  address: string;
  provider: 'A' | 'B';
}
/** Provider A: 127.0.0.2–11 (in 127.0.0.0/28); provider B: 127.0.0.18–27 (in 127.0.0.16/28). */
export const phishingHosts: PhishingHost[] = [
  ...Array.from({ length: 10 }, (_, i) => ({
    host: `www.smbc-login${String(i + 1).padStart(2, '0')}.example.jp`,
    address: `127.0.0.${i + 2}`,
    provider: 'A' as const,
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    host: `secure.mufg-direct${String(i + 1).padStart(2, '0')}.example.jp`,
    address: `127.0.0.${i + 18}`,
    provider: 'B' as const,
  })),
];
export const phishingUrl = (h: PhishingHost) => `http://${h.host}:${sitesPort}/login`;
/** RENKEI_TEST_HOSTS for the server: `host=addr,…`. */
export const testHostsEnv = phishingHosts.map((h) => `${h.host}=${h.address}`).join(',');
