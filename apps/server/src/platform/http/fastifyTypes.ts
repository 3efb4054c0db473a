import type { SessionTable } from '../db/types.ts';
import type { Subject } from '../auth/subject.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No authentication at all (health, public forms). */
    public?: boolean;
    /** The policy action a caller must be allowed before the handler runs. */
    action?: string;
    /** Reachable by a signed-in session that has not finished password change / MFA. */
    incompleteLogin?: boolean;
  }
  interface FastifyRequest {
    subject: Subject | null;
    authSession: SessionTable | null;
    /** Set once a refusal has been written to the audit log, so it is not written twice. */
    denialAudited: boolean;
    locale: 'ja' | 'en';
  }
}
