import { Readable } from 'node:stream';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { fileStoreFor } from '../../platform/files/index.ts';
import { canonicalise } from '../intel/canonical.ts';
import { recordObservables } from '../intel/index.ts';
import type { OccurrenceRole } from '../intel/vocab.ts';
import { actorOf, assertCaseAccess } from './access.ts';
import { change, tlpOf } from './records.ts';

/** Values typed in by an officer, recognised by the intel canonicaliser and recorded at the case with their roles. */
export async function addObservables(
  p: Platform,
  s: Subject,
  caseId: string,
  items: { value: string; role?: OccurrenceRole }[],
  ip: string | null,
) {
  const canon = items.map((i) => ({ raw: i.value, c: canonicalise(i.value.trim()), role: i.role ?? 'unknown' }));
  const bad = canon.filter((x) => !x.c).map((x) => x.raw);
  if (bad.length) throw new AppError('VALIDATION_FAILED', `not recognised: ${bad.slice(0, 3).join(', ')}`);
  return change(p, s, caseId, ip, 'case.observable.add', async (trx, now) => {
    const c = await trx.selectFrom('cases').select('tlp').where('id', '=', caseId).executeTakeFirstOrThrow();
    const res = await recordObservables(
      trx,
      { type: 'case', id: caseId },
      canon.map((x) => ({ ...x.c!, role: x.role, firstSeen: now, lastSeen: now })),
      { tlp: tlpOf(c.tlp), now, decidedBy: s.userId },
    );
    return {
      out: { observables: res.observables },
      timeline: { kind: 'observable', body: `指標 ${res.observables} 件を登録` },
      details: { n: res.observables },
    };
  });
}

export async function listObservables(p: Platform, s: Subject, caseId: string, ip: string | null) {
  await assertCaseAccess(p, s, caseId, 'read', ip);
  const rows = await p.db.db
    .selectFrom('observable_places as pl')
    .innerJoin('observable_occurrences as oc', 'oc.place_num', 'pl.num')
    .innerJoin('observables as o', 'o.num', 'oc.observable_num')
    .select(['o.id', 'o.type', 'o.value', 'o.display', 'oc.role'])
    .where('pl.place_type', '=', 'case')
    .where('pl.place_id', '=', caseId)
    .orderBy('o.type')
    .orderBy('o.value')
    .limit(1000)
    .execute();
  return { items: rows.map((r) => ({ id: r.id, type: r.type, value: r.value, display: r.display, role: r.role })) };
}

export async function addAttachment(
  p: Platform,
  s: Subject,
  caseId: string,
  file: { name: string; type: string | null; data: Buffer },
  ip: string | null,
) {
  await assertCaseAccess(p, s, caseId, 'write', ip);
  const store = fileStoreFor(p);
  const staged = await store.stage(Readable.from([file.data]));
  try {
    return await change(p, s, caseId, ip, 'case.attachment.add', async (trx, now) => {
      const ref = await store.attach(
        trx,
        staged,
        { ownerType: 'case', ownerId: caseId, originalName: file.name.slice(0, 255), declaredType: file.type },
        s.userId,
      );
      await trx
        .insertInto('case_attachments')
        .values({
          file_ref_id: ref.id,
          case_id: caseId,
          name: file.name.slice(0, 255),
          size: file.data.length,
          content_type: staged.detectedType,
          created_by: s.userId,
          created_at: now,
        })
        .execute();
      return {
        out: { id: ref.id, sha256: staged.sha256 },
        timeline: { kind: 'attachment', body: `添付「${file.name.slice(0, 100)}」を登録` },
        details: { fileRefId: ref.id },
      };
    });
  } finally {
    await store.settle(staged);
  }
}

/** Checks a download: the attachment belongs to the case and the subject may read it; the download is audited. */
export async function attachmentForDownload(
  p: Platform,
  s: Subject,
  caseId: string,
  fileId: string,
  ip: string | null,
) {
  await assertCaseAccess(p, s, caseId, 'read', ip);
  const a = await p.db.db
    .selectFrom('case_attachments')
    .select('file_ref_id')
    .where('case_id', '=', caseId)
    .where('file_ref_id', '=', fileId)
    .executeTakeFirst();
  if (!a) throw new AppError('NOT_FOUND');
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.attachment.download',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { fileRefId: fileId },
    }),
  );
  return a.file_ref_id;
}
