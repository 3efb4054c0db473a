import type { Transaction } from 'kysely';
import { hasContentRole } from '../../platform/auth/policy.ts';
import { type Subject, hasRole } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import type { Database } from '../../platform/db/types.ts';
import { actorOf, assertCaseAccess, auditCaseDenial } from './access.ts';
import type { MemberRole } from './tables.ts';
import { addTimeline } from './timeline.ts';

const ROLE_JA: Record<MemberRole, string> = { lead: '主任者', member: '構成員', reader: '閲覧者' };

/** Resolves a login typed by the lead (unknown logins answer like unknown ids). */
export async function userIdByLogin(p: Platform, login: string | undefined): Promise<string> {
  if (!login) throw new AppError('VALIDATION_FAILED', 'userId or login is required');
  const u = await p.db.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst();
  if (!u) throw new AppError('VALIDATION_FAILED', 'no such active user');
  return u.id;
}

/**
 * The lead adds (or changes the role of) a member. Nobody adds himself, the admin included (the admin has no
 * content role and never reaches a case anyway). The new member must hold a content role and a clearance that
 * reaches the case's 格付.
 */
export async function addMember(
  p: Platform,
  s: Subject,
  caseId: string,
  userId: string,
  role: MemberRole,
  ip: string | null,
) {
  const { case: c } = await assertCaseAccess(p, s, caseId, 'manage', ip);
  if (userId === s.userId) {
    await auditCaseDenial(p, s, caseId, 'member.add.self', ip);
    throw new AppError('CASE_SELF_MEMBERSHIP');
  }
  const user = await p.db.db
    .selectFrom('users')
    .select(['id', 'name', 'clearance', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user?.status !== 'active') throw new AppError('VALIDATION_FAILED', 'no such active user');
  const roles = await p.db.db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  const fake = { roles: new Set(roles.map((r) => r.role)) } as unknown as Subject;
  if (!hasContentRole(fake))
    throw new AppError('VALIDATION_FAILED', 'the user holds no role that works with case contents');
  if (user.clearance < c.confidentiality) throw new AppError('CASE_CLEARANCE_TOO_LOW');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const had = await trx
      .selectFrom('case_members')
      .select('role')
      .where('case_id', '=', caseId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (had?.role === 'lead' && role !== 'lead') await keepOneLead(trx, caseId, userId);
    if (had)
      await trx
        .updateTable('case_members')
        .set({ role })
        .where('case_id', '=', caseId)
        .where('user_id', '=', userId)
        .execute();
    else
      await trx
        .insertInto('case_members')
        .values({
          case_id: caseId,
          user_id: userId,
          role,
          added_by: s.userId,
          added_at: now,
          via: 'lead',
          reason: null,
        })
        .execute();
    await addTimeline(trx, {
      caseId,
      kind: 'member',
      body: `${user.name} を${ROLE_JA[role]}に${had ? '変更' : '追加'}`,
      authorId: s.userId,
      now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: had ? 'case.member.change' : 'case.member.add',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { userId, role },
    });
  });
}

async function keepOneLead(trx: Transaction<Database>, caseId: string, leaving: string) {
  const others = await trx
    .selectFrom('case_members')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('role', '=', 'lead')
    .where('user_id', '<>', leaving)
    .execute();
  if (others.length === 0) throw new AppError('CASE_LAST_LEAD');
}

export async function removeMember(p: Platform, s: Subject, caseId: string, userId: string, ip: string | null) {
  await assertCaseAccess(p, s, caseId, 'manage', ip);
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('case_members')
      .innerJoin('users', 'users.id', 'case_members.user_id')
      .select(['case_members.role', 'users.name'])
      .where('case_id', '=', caseId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!m) throw new AppError('NOT_FOUND');
    if (m.role === 'lead') await keepOneLead(trx, caseId, userId);
    await trx.deleteFrom('case_members').where('case_id', '=', caseId).where('user_id', '=', userId).execute();
    await addTimeline(trx, { caseId, kind: 'member', body: `${m.name} を構成員から除外`, authorId: s.userId, now });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.member.remove',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { userId },
    });
  });
}

/** 支援所属: units that support the case (their staff still need to be added as members to see it). */
export async function setSupportingUnit(
  p: Platform,
  s: Subject,
  caseId: string,
  unitId: string,
  on: boolean,
  ip: string | null,
) {
  await assertCaseAccess(p, s, caseId, 'manage', ip);
  const unit = await p.db.db.selectFrom('units').select(['id', 'name']).where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw new AppError('VALIDATION_FAILED', 'no such unit');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('case_units').where('case_id', '=', caseId).where('unit_id', '=', unitId).execute();
    if (on)
      await trx
        .insertInto('case_units')
        .values({ case_id: caseId, unit_id: unitId, added_by: s.userId, added_at: now })
        .execute();
    await addTimeline(trx, {
      caseId,
      kind: 'member',
      body: `支援所属「${unit.name}」を${on ? '追加' : '除外'}`,
      authorId: s.userId,
      now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: on ? 'case.unit.add' : 'case.unit.remove',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { unitId },
    });
  });
}

/**
 * Emergency override (緊急参加): an investigator or cyber analyst whose clearance reaches the case joins it with a
 * reason. The leads are told by mail (outbox) and the join is audited with the reason. Anyone else, or a case that
 * does not exist, gets NOT_FOUND, audited as a refusal.
 */
export async function emergencyJoin(p: Platform, s: Subject, caseId: string, reason: string, ip: string | null) {
  const c = await p.db.db
    .selectFrom('cases')
    .select(['id', 'case_number', 'confidentiality'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  const eligible =
    c !== undefined &&
    hasContentRole(s) &&
    (hasRole(s, 'investigator') || hasRole(s, 'cyber_analyst')) &&
    c.confidentiality <= s.clearance;
  if (!c || !eligible) {
    await auditCaseDenial(p, s, caseId, 'override', ip);
    throw new AppError('NOT_FOUND');
  }
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    const had = await trx
      .selectFrom('case_members')
      .select('role')
      .where('case_id', '=', caseId)
      .where('user_id', '=', s.userId)
      .executeTakeFirst();
    if (had) throw new AppError('CONFLICT', 'already a member');
    await trx
      .insertInto('case_members')
      .values({
        case_id: caseId,
        user_id: s.userId,
        role: 'member',
        added_by: s.userId,
        added_at: now,
        via: 'override',
        reason,
      })
      .execute();
    await addTimeline(trx, {
      caseId,
      kind: 'override',
      body: `${s.name} が緊急参加（理由：${reason}）`,
      authorId: s.userId,
      now,
    });
    const leads = await trx
      .selectFrom('case_members')
      .innerJoin('users', 'users.id', 'case_members.user_id')
      .select(['users.id', 'users.email'])
      .where('case_members.case_id', '=', caseId)
      .where('case_members.role', '=', 'lead')
      .execute();
    const to = leads.map((l) => l.email).filter((e): e is string => !!e);
    let mailId: string | null = null;
    if (to.length) {
      mailId = await queueMail(
        p,
        trx,
        {
          to,
          subject: `【緊急参加】事件 ${c.case_number} に ${s.name} が緊急参加しました`,
          text: `事件 ${c.case_number} に ${s.name}（${s.login}）が緊急参加しました。\n理由：${reason}\n\n${p.config.baseUrl}/cases/${caseId}\n不要であれば構成員から外してください。\n`,
          related: [{ type: 'case', id: caseId }],
        },
        s.userId,
      );
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.override',
      target: { type: 'case', id: caseId },
      result: 'success',
      clientIp: ip,
      details: { reason, notified: leads.map((l) => l.id), mailId },
    });
  });
}
