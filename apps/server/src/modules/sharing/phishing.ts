/**
 * Phishing URL lists (issue 9 §6, seed §5(3)ケ): the URLs the NPA passes on to AV and filtering vendors, or that go
 * directly to a vendor where an agreement exists. Text (one URL a line) or CSV, only what was seen since an
 * instant, per recipient through the egress policy, audited with counts only.
 */
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { type Recipient, decideEgress } from './egress.ts';
import { observableFacts } from './facts.ts';
import { type ExportReport, countsText, newReport } from './stixExport.ts';

export type ListFormat = 'txt' | 'csv';

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The lines of the list (a header first for CSV). */
export async function* phishingLines(
  p: Platform,
  to: Recipient,
  opts: { since?: string | undefined; format: ListFormat },
  report: ExportReport,
): AsyncGenerator<string> {
  const db = p.db.db;
  if (opts.format === 'csv') yield 'url,domain,first_seen,last_seen,tlp,tags\r\n';
  let after = 0;
  for (;;) {
    let q = db
      .selectFrom('observables')
      .selectAll()
      .where('type', '=', 'url')
      .where('num', '>', after)
      .orderBy('num')
      .limit(1000);
    if (opts.since) q = q.where('last_seen', '>=', opts.since);
    const rows = await q.execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.num);
    const facts = await observableFacts(
      db,
      rows.map((r) => ({ num: Number(r.num), id: r.id, type: r.type, tlp: r.tlp })),
    );
    const tags = await db
      .selectFrom('observable_tags')
      .selectAll()
      .where(
        'observable_num',
        'in',
        rows.map((r) => Number(r.num)),
      )
      .execute();
    for (const r of rows) {
      const f = facts.get(Number(r.num))!;
      // Only values decided to be the suspect's (a victim's hacked site is not a phishing site to block).
      const d =
        f.observable?.role === 'suspect' ? decideEgress(f, to) : ({ allowed: false, reason: 'sharing_rule' } as const);
      if (!d.allowed) {
        report.withheld[d.reason] = (report.withheld[d.reason] ?? 0) + 1;
        if (report.withheldItems.length < 500) {
          report.withheldItems.push({ type: 'observable', id: r.id, label: `url: ${r.display}`, reason: d.reason });
        }
        continue;
      }
      report.sent.url = (report.sent.url ?? 0) + 1;
      report.objects++;
      if (opts.format === 'txt') {
        yield `${r.value}\n`;
      } else {
        const host = (() => {
          try {
            return new URL(r.value).hostname;
          } catch {
            return '';
          }
        })();
        const t = tags
          .filter((x) => Number(x.observable_num) === Number(r.num))
          .map((x) => x.tag)
          .join(';');
        yield `${[r.value, host, r.first_seen, r.last_seen, `TLP:${r.tlp.toUpperCase()}`, t].map(csvCell).join(',')}\r\n`;
      }
    }
  }
}

export async function exportPhishingList(
  p: Platform,
  actor: AuditActor | null,
  to: Recipient,
  opts: { since?: string | undefined; format: ListFormat },
  write: (chunk: string) => void | Promise<void>,
  ip: string | null,
): Promise<ExportReport> {
  const report = newReport();
  for await (const line of phishingLines(p, to, opts, report)) await write(line);
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor,
      action: 'sharing.export.phishing',
      target: { type: 'sharing_partner', id: to.kind === 'partner' ? to.partner.id : 'public' },
      result: 'success',
      clientIp: ip,
      details: {
        format: opts.format,
        sent: report.objects,
        withheld: countsText(report.withheld),
        since: opts.since ?? null,
      },
    });
  });
  return report;
}
