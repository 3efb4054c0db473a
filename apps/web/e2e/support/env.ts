import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const e2ePort = Number(process.env.RENKEI_E2E_PORT ?? 18080);
/** The server's data folder for the run, one per port (so two checkouts' runs on other ports do not collide); wiped when the server starts. */
export const e2eDataDir = `${repoRoot}.tmp/e2e-${e2ePort}`;
/** Given to the server as RENKEI_ADMIN_PASSWORD, so the first admin `admin` has it. */
export const e2eAdminPassword = 'E2e-Kanrisha-Passw0rd!';
