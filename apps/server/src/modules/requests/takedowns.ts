import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { UserAgentProfile } from '../../platform/net/safeFetch.ts';
import { canonicalise } from '../intel/canonical.ts';
import { observableVisible } from '../intel/places.ts';
import { actorOf, isRequestStaff } from './access.ts';
import { queueCaptures } from './captureJobs.ts';
import { type GroupOptions, type NoticeGroup, groupItems, sendingBudget, writeNotice } from './recipients/notices.ts';
import { type RequestPlan, addEvent, insertRequest, prepareRequest } from './service.ts';

/**
 * Takedowns from a list of phishing URLs (issue 11, docs/adr/0020-requests.md "Takedowns from URLs"): the URLs are
 * grouped by hosting provider (`groupItems`), each provider's group becomes one notice (reference RN-…) and one draft
 * request of the takedown type with one `url` item per URL — all drafts in one transaction, all or nothing — and
 * every drafted URL is queued, in that transaction, for capture as evidence by a background job (captureJobs.ts):
 * the call returns right after the drafts, each capture `queued`; the request detail shows the progress.
 */
export const TAKEDOWN_TYPES = ['takedown', 'c2_teishi'] as const;
export type TakedownType = (typeof TAKEDOWN_TYPES)[number];
export const MAX_TAKEDOWN_URLS = 200;
/** The field of both takedown types that `reason` fills when `fields` does not. */
const REASON_FIELD = '依頼理由';

export interface TakedownInput {
  urls: string[];
  title: string;
  reason?: string | undefined;
  typeCode?: TakedownType | undefined;
  fields?: Record<string, string | number> | undefined;
  campaignId?: string | undefined;
  caseId?: string | undefined;
  /** Queue every drafted URL for capture (default true). */
  capture?: boolean | undefined;
  /** Screenshot with the captures (default true; without Chromium the capture notes its absence). */
  screenshot?: boolean | undefined;
  profile?: UserAgentProfile | undefined;
}

export interface TakedownOptions {
  /** Injected resolver / RDAP options (tests); the system resolver and shipped bootstrap otherwise. */
  group?: GroupOptions;
  clientIp?: string | null;
}

type Deferred = {
  recipientId: string | null;
  recipientName: string | null;
  reason: 'no_recipient' | 'rate_limited' | 'recipient_kind';
  retryAt: string | null;
  urls: string[];
};

function checkUrls(urls: string[]): void {
  if (urls.length === 0 || urls.length > MAX_TAKEDOWN_URLS) throw new AppError('VALIDATION_FAILED', 'urls');
  for (const u of urls) {
    let ok = false;
    try {
      const x = new URL(u);
      ok = x.protocol === 'http:' || x.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError('VALIDATION_FAILED', `urls: ${u.slice(0, 100)}`);
  }
}

/** The visible `url` observable of each URL (by its canonical value), to link the request item to. */
async function observablesOf(p: Platform, s: Subject, urls: string[]): Promise<Map<string, string>> {
  const canon = new Map<string, string>();
  for (const u of urls) {
    const c = canonicalise(u, 'url');
    if (c) canon.set(u, c.value);
  }
  const values = [...new Set(canon.values())];
  if (values.length === 0) return new Map();
  const rows = await p.db.db
    .selectFrom('observables')
    .select(['id', 'value'])
    .where('type', '=', 'url')
    .where('value', 'in', values)
    .where(observableVisible(s, 'observables.num'))
    .execute();
  const byValue = new Map(rows.map((r) => [r.value, r.id]));
  const out = new Map<string, string>();
  for (const [u, v] of canon) {
    const id = byValue.get(v);
    if (id) out.set(u, id);
  }
  return out;
}

export async function draftTakedowns(p: Platform, s: Subject, input: TakedownInput, o: TakedownOptions = {}) {
  if (!isRequestStaff(s)) throw new AppError('FORBIDDEN');
  const ip = o.clientIp ?? null;
  checkUrls(input.urls);
  const typeCode = input.typeCode ?? 'takedown';
  const fields = { ...(input.fields ?? {}) };
  if (input.reason?.trim() && fields[REASON_FIELD] === undefined) fields[REASON_FIELD] = input.reason.trim();
  if (input.campaignId) {
    const c = await p.db.db
      .selectFrom('intel_entities')
      .select('id')
      .where('id', '=', input.campaignId)
      .where('kind', '=', 'campaign')
      .executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', 'campaignId');
  }
  const { groups, unresolved } = await groupItems(p, input.urls, o.group ?? {});
  const observables = await observablesOf(p, s, input.urls);
  const deferred: Deferred[] = [];
  const plans: { g: NoticeGroup & { recipientId: string }; urls: string[]; plan: RequestPlan }[] = [];
  for (const g of groups) {
    const urls = g.items.map((i) => i.url);
    if (!g.recipientId) {
      const name = g.contact?.name ?? g.provider;
      deferred.push({ recipientId: null, recipientName: name, reason: 'no_recipient', retryAt: null, urls });
      continue;
    }
    try {
      const plan = await prepareRequest(
        p,
        s,
        {
          typeCode,
          recipientId: g.recipientId,
          title: input.title,
          caseId: input.caseId,
          campaignId: input.campaignId,
          fields,
          items: urls.map((u) => {
            const observableId = observables.get(u);
            return observableId ? { kind: 'url', observableId } : { kind: 'url', value: u };
          }),
        },
        ip,
      );
      plans.push({ g: { ...g, recipientId: g.recipientId }, urls, plan });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'REQUEST_RECIPIENT_KIND') throw e;
      deferred.push({
        recipientId: g.recipientId,
        recipientName: g.recipientName,
        reason: 'recipient_kind',
        retryAt: null,
        urls,
      });
    }
  }

  const drafted = await p.db.db.transaction().execute(async (trx) => {
    const out = [];
    for (const { g, urls, plan } of plans) {
      const budget = await sendingBudget(p, g.recipientId, trx);
      if (budget.used >= budget.limit) {
        deferred.push({
          recipientId: g.recipientId,
          recipientName: g.recipientName,
          reason: 'rate_limited',
          retryAt: budget.retryAt,
          urls,
        });
        continue;
      }
      const r = await insertRequest(p, trx, s, plan, ip);
      const notice = await writeNotice(p, trx, s, g, r.id, ip);
      if (!('reference' in notice)) throw new AppError('CONFLICT');
      await addEvent(trx, r.id, p.clock.now().toISOString(), s.userId, 'notice', null, null, notice.reference);
      out.push({
        id: r.id,
        reference: r.reference,
        recipientId: g.recipientId,
        recipientName: g.recipientName,
        asn: g.asn,
        noticeReference: notice.reference,
        items: r.itemIds.map((id, n) => ({ id, value: plan.items[n]!.value, url: urls[n]! })),
      });
    }
    if (input.capture !== false) {
      const items = out.flatMap((r) => r.items.map((i) => ({ requestId: r.id, itemId: i.id, url: i.url })));
      await queueCaptures(p, trx, s, items, {
        profile: input.profile ?? 'desktop',
        screenshot: input.screenshot !== false,
      });
    }
    if (out.length > 0) {
      await p.audit.record(trx, {
        actor: actorOf(s),
        action: 'request.takedown.draft',
        target: { type: 'request', id: out[0]!.id },
        result: 'success',
        clientIp: ip,
        details: {
          type: typeCode,
          requests: out.map((r) => r.id),
          urls: input.urls.length,
          deferred: deferred.length,
          unresolved: unresolved.length,
        },
      });
    }
    return out;
  });

  return {
    requests: drafted.map((r) => ({ ...r, items: r.items.map((i) => ({ id: i.id, value: i.value })) })),
    captures: drafted.flatMap((r) =>
      input.capture === false
        ? []
        : r.items.map((i) => ({ url: i.url, itemId: i.id, requestId: r.id, status: 'queued' as const })),
    ),
    deferred,
    unresolved,
  };
}
