import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { PersonalKind } from './egress.ts';

export interface MarkingInput {
  objectType: 'observable' | 'intel_entity';
  objectId: string;
  confidentiality: 1 | 2 | 3;
  recipients?: string[] | undefined;
  personal?: PersonalKind[] | undefined;
  reason: string;
}

/**
 * A release decision (ADR 0010 §4): the 格付, named recipients and personal-data flags an indicator or campaign
 * leaves with. Replaces any earlier decision; audited with the old and new 格付.
 */
export async function setMarking(p: Platform, actor: AuditActor, input: MarkingInput, ip: string | null) {
  const db = p.db.db;
  const exists =
    input.objectType === 'observable'
      ? await db.selectFrom('observables').select('id').where('id', '=', input.objectId).executeTakeFirst()
      : await db.selectFrom('intel_entities').select('id').where('id', '=', input.objectId).executeTakeFirst();
  if (!exists) throw new AppError('NOT_FOUND');
  const recipients = [...new Set(input.recipients ?? [])];
  if (recipients.length > 0) {
    const found = await db.selectFrom('sharing_partners').select('id').where('id', 'in', recipients).execute();
    if (found.length !== recipients.length) throw new AppError('VALIDATION_FAILED', 'recipients: unknown partner');
  }
  const now = p.clock.now().toISOString();
  const row = {
    object_type: input.objectType,
    object_id: input.objectId,
    confidentiality: input.confidentiality,
    recipients: JSON.stringify(recipients),
    personal: JSON.stringify([...new Set(input.personal ?? [])]),
    reason: input.reason,
    decided_by: actor.id,
    decided_at: now,
  };
  await db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('sharing_markings')
      .select('confidentiality')
      .where('object_type', '=', input.objectType)
      .where('object_id', '=', input.objectId)
      .executeTakeFirst();
    await trx
      .insertInto('sharing_markings')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['object_type', 'object_id']).doUpdateSet({
          confidentiality: row.confidentiality,
          recipients: row.recipients,
          personal: row.personal,
          reason: row.reason,
          decided_by: row.decided_by,
          decided_at: row.decided_at,
        }),
      )
      .execute();
    await p.audit.record(trx, {
      actor,
      action: 'sharing.marking.set',
      target: { type: input.objectType, id: input.objectId },
      result: 'success',
      clientIp: ip,
      details: {
        confidentiality: input.confidentiality,
        previous: old?.confidentiality ?? null,
        recipients: recipients.length,
      },
    });
  });
  return {
    objectType: input.objectType,
    objectId: input.objectId,
    confidentiality: input.confidentiality,
    recipients,
    personal: JSON.parse(row.personal) as PersonalKind[],
    decidedAt: now,
  };
}
