import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../../platform/jobs/index.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, cookieFrom, makeUser, signIn, totpNow, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SMISH = (url: string) =>
  `お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物は下記よりご確認ください ${url} というSMSが届きました。`;

let addr = 0;
const nextAddr = () => `10.9.${Math.floor(++addr / 250)}.${(addr % 250) + 1}`;

function multipart(fields: Record<string, string>, files: { name: string; type: string; data: Buffer }[]) {
  const boundary = '----renkeitest7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testEngines())('intake on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn;
  let officer: SignedIn;
  let outsider: SignedIn;
  let officerUser: { id: string };
  let creds: { login: string; password: string }[] = [];
  /** Sessions time out when the fake clock jumps: sign in again. */
  let secrets: string[] = [];
  async function relogin() {
    if (secrets.length === 0) {
      const all = await Promise.all(creds.map((c) => signIn(t.app, t.platform, c.login, c.password)));
      [analyst, officer, outsider] = all as [SignedIn, SignedIn, SignedIn];
      secrets = all.map((x) => x.totpSecret);
      return;
    }
    const again = async (c: { login: string; password: string }, secret: string): Promise<SignedIn> => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: c.login, password: c.password },
        remoteAddress: nextAddr(),
      });
      if (res.statusCode !== 200) throw new Error(res.body);
      let cookie = cookieFrom(res);
      let csrf = res.json<{ csrfToken: string }>().csrfToken;
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/auth/totp/verify',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { code: totpNow(secret, t.clock.now()) },
      });
      if (ok.statusCode !== 200) throw new Error(ok.body);
      cookie = cookieFrom(ok);
      csrf = ok.json<{ csrfToken: string }>().csrfToken;
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf }, totpSecret: secret };
    };
    const all = await Promise.all(creds.map((c, i) => again(c, secrets[i]!)));
    [analyst, officer, outsider] = all as [SignedIn, SignedIn, SignedIn];
  }

  const submit = (body: unknown, remoteAddress = nextAddr()) =>
    t.app.inject({ method: 'POST', url: '/api/public/reports', payload: body as object, remoteAddress });
  const staffGet = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const staffPost = (who: SignedIn, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload: payload ?? {} });
  async function reportId(receipt: string): Promise<string> {
    const r = await t.platform.db.db
      .selectFrom('intake_reports')
      .select('id')
      .where('receipt_number', '=', receipt)
      .executeTakeFirstOrThrow();
    return r.id;
  }

  beforeAll(async () => {
    // Friday 2026-04-03 16:00 JST
    t = await createTestContext(engine, '2026-04-03T07:00:00.000Z');
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const o = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-koriyama' });
    const x = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-aizuwakamatsu' });
    officerUser = o;
    creds = [a, o, x];
    await relogin();
  }, 60_000);
  afterAll(async () => t?.close());

  it('public submit → receipt → status (no staff notes) → addition', async () => {
    const res = await submit({
      kind: 'report',
      reporterType: 'anonymous',
      whatHappened: ['message'],
      narrative: SMISH('ｈｘｘｐｓ：／／ｓａｇａｗａ-ｘｙ[.]ｅｘａｍｐｌｅ／ａｂｃ'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { receiptNumber, statusToken } = res.json<{ receiptNumber: string; statusToken: string }>();
    expect(receiptNumber).toMatch(/^R8-\d{6}$/);
    expect(statusToken.length).toBeGreaterThanOrEqual(32);
    const stored = await t.platform.db.db
      .selectFrom('intake_reports')
      .select('status_token_hash')
      .where('receipt_number', '=', receiptNumber)
      .executeTakeFirstOrThrow();
    expect(stored.status_token_hash).not.toContain(statusToken);

    const id = await reportId(receiptNumber);
    expect((await staffPost(analyst, `/api/intake/reports/${id}/notes`, { body: '職員メモ：秘匿' })).statusCode).toBe(
      200,
    );
    const st = await t.app.inject({
      method: 'GET',
      url: `/api/public/reports/${receiptNumber}`,
      headers: { 'x-status-token': statusToken },
      remoteAddress: nextAddr(),
    });
    expect(st.statusCode).toBe(200);
    expect(st.body).not.toContain('職員メモ');
    expect(st.json()).toMatchObject({ receiptNumber, status: 'received', additions: [] });
    const wrong = await t.app.inject({
      method: 'GET',
      url: `/api/public/reports/${receiptNumber}`,
      headers: { 'x-status-token': 'nope' },
      remoteAddress: nextAddr(),
    });
    expect(wrong.statusCode).toBe(404);
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/public/reports/${receiptNumber}/additions`,
      headers: { 'x-status-token': statusToken },
      payload: { text: '送信元は +81 90-1234-5678 でした' },
      remoteAddress: nextAddr(),
    });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json().additions).toHaveLength(1);

    const full = (await staffGet(analyst, `/api/intake/reports/${id}`)).json();
    const url = full.observables.find((o: { type: string }) => o.type === 'url');
    expect(url.value).toContain('sagawa-xy.example');
    expect(full.observables.some((o: { type: string }) => o.type === 'phone')).toBe(true);
    expect(full.ownerUnitId).toBe(await unitId(t.platform, 'cyber-ka'));
    // linked as an observable of the observables module, at this report, visible to the analyst only
    const look = await staffGet(
      analyst,
      `/api/observables/lookup?value=${encodeURIComponent('hxxps://sagawa-xy[.]example/abc')}`,
    );
    expect(look.statusCode, look.body).toBe(200);
    expect(JSON.stringify(look.json())).toContain(receiptNumber);
    const hidden = await staffGet(
      outsider,
      `/api/observables/lookup?value=${encodeURIComponent('hxxps://sagawa-xy[.]example/abc')}`,
    );
    expect(JSON.stringify(hidden.json())).not.toContain(receiptNumber);
  });

  it('stores hostile attachments flagged, never crashes, and keeps HTML as text', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 0)]);
    const brokenEml = Buffer.from(
      `From: <<<\r\nSubject: ${'A'.repeat(100_000)}\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n`,
    );
    const m = multipart(
      {
        report: JSON.stringify({
          kind: 'consultation',
          reporterType: 'individual',
          contact: { name: '<b>見本</b>', phone: '090-0000-1111' },
          narrative: '<script>alert(1)</script> 偽サイトに入力してしまいました hxxp://evil[.]example/login',
        }),
      },
      [
        { name: 'screenshot.png', type: 'image/png', data: PNG },
        { name: 'bomb.zip', type: 'application/zip', data: zip },
        { name: 'broken.eml', type: 'message/rfc822', data: brokenEml },
        { name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('MZ\u0090\u0000 not a jpeg') },
      ],
    );
    const res = await t.app.inject({ method: 'POST', url: '/api/public/reports', ...m, remoteAddress: nextAddr() });
    expect(res.statusCode, res.body).toBe(201);
    const id = await reportId(res.json().receiptNumber);
    const full = await staffGet(analyst, `/api/intake/reports/${id}`);
    expect(full.headers['content-type']).toContain('application/json');
    const r = full.json();
    expect(r.narrative).toBe('<script>alert(1)</script> 偽サイトに入力してしまいました hxxp://evil[.]example/login');
    expect(r.reporter.name).toBe('<b>見本</b>');
    const byName = Object.fromEntries(r.attachments.map((a: { name: string }) => [a.name, a]));
    expect(byName['screenshot.png'].detectedType).toBe('image/png');
    expect(byName['screenshot.png'].flags).toEqual([]);
    expect(byName['bomb.zip'].flags).toContain('archive_not_expanded');
    expect(byName['photo.jpg'].flags.length).toBeGreaterThan(0);
    expect(r.attachments).toHaveLength(4);
    // the reporter's own phone is 被害者側
    expect(r.observables.find((o: { type: string }) => o.type === 'phone').role).toBe('victim');
    const dl = await staffGet(analyst, `/api/intake/reports/${id}/attachments/${byName['bomb.zip'].id}`);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
  });

  it('accepts the honeypot silently and stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.platform.db.db
            .selectFrom('intake_reports')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const res = await submit({ kind: 'report', reporterType: 'anonymous', narrative: 'spam', website: 'http://x' });
    expect(res.statusCode).toBe(201);
    expect(await count()).toBe(before);
  });

  it('limits submissions per address', async () => {
    const ip = '10.200.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(
        (await submit({ kind: 'report', reporterType: 'anonymous', website: 'x', narrative: 'x' }, ip)).statusCode,
      );
    }
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    expect(
      (await submit({ kind: 'report', reporterType: 'anonymous', website: 'x', narrative: 'x' }, '10.200.0.2'))
        .statusCode,
    ).toBe(201);
  });

  it('sends a 犯行予告 to the duty desk with a tracked acknowledgement and escalates when unacknowledged', async () => {
    const res = await submit({
      kind: 'information',
      reporterType: 'anonymous',
      narrative: '掲示板に「明日の正午に郡山駅で無差別に人を刺す」と書き込まれています。',
    });
    expect(res.statusCode).toBe(201);
    const id = await reportId(res.json().receiptNumber);
    const duty = (await staffGet(analyst, '/api/intake/duty?open=true')).json().items;
    const mine = duty.find((d: { reportId: string }) => d.reportId === id);
    expect(mine).toBeTruthy();
    // nobody acknowledges: 15 minutes later the job escalates
    t.clock.advance(16 * 60_000);
    await jobsOf(t.platform).runDue();
    const esc = await t.platform.db.db
      .selectFrom('intake_duty')
      .selectAll()
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(esc.escalated_at).not.toBeNull();
    expect((await staffPost(analyst, `/api/intake/duty/${mine.id}/acknowledge`)).statusCode).toBe(200);
    const after = (await staffGet(analyst, '/api/intake/duty?open=true')).json().items;
    expect(after.some((d: { id: string }) => d.id === mine.id)).toBe(false);
  });

  it('routes, keeps working-time and calendar clocks over a weekend, escalates overdue acknowledgement, and hides reports from other units', async () => {
    t.clock.set('2026-04-03T07:00:00.000Z'); // Fri 16:00 JST
    const phone = await staffPost(officer, '/api/intake/reports', {
      channel: 'phone',
      kind: 'consultation',
      reporterType: 'individual',
      contact: { name: '見本 太郎', phone: '024-000-0000' },
      narrative: 'フリマアプリでゲーム機を購入して代金3万円を支払ったが、商品が届かず出品者と連絡が取れない。',
      amountYen: 30000,
      fiveW1H: { who: '出品者', where: 'フリマアプリ' },
    });
    expect(phone.statusCode, phone.body).toBe(201);
    const stationReport = phone.json().id as string;
    expect(phone.json().ownerUnitId).toBe(await unitId(t.platform, 'st-koriyama'));
    const hack = await staffPost(officer, '/api/intake/reports', {
      channel: 'counter',
      kind: 'report',
      reporterType: 'business',
      narrative:
        'サーバがランサムウェアに感染しファイルが暗号化された。拡張子は .lockbit に変わり、身代金を要求するメモがあった。',
      business: { incidentType: 'ransomware', encryptedExtension: '.lockbit', ransomDemanded: true },
      consent: { shareWithNco: true },
    });
    expect(hack.json().ownerUnitId).toBe(await unitId(t.platform, 'cyber-ka'));

    t.clock.set('2026-04-06T00:30:00.000Z'); // Mon 09:30 JST
    await relogin();
    const q = (await staffGet(officer, '/api/intake/reports?channel=phone')).json();
    const item = q.items.find((i: { id: string }) => i.id === stationReport);
    expect(item.clocks.sinceReceipt.calendarMs).toBe((2 * 24 + 17.5) * 3600_000);
    expect(item.clocks.sinceReceipt.workingMs).toBe((75 + 60) * 60_000);

    // 4 working hours without acknowledgement → escalated to the unit head by the job
    t.clock.set('2026-04-06T03:00:00.000Z'); // Mon 12:00 JST: 1h15 + 3h30 working
    await jobsOf(t.platform).runDue();
    await relogin();
    const row = await t.platform.db.db
      .selectFrom('intake_reports')
      .select(['escalated_at'])
      .where('id', '=', stationReport)
      .executeTakeFirstOrThrow();
    expect(row.escalated_at).not.toBeNull();

    // refusal: a station officer of another unit can neither see it nor learn it exists
    expect((await staffGet(outsider, `/api/intake/reports/${stationReport}`)).statusCode).toBe(404);
    expect((await staffGet(outsider, `/api/intake/reports/${crypto.randomUUID()}`)).statusCode).toBe(404);
    const theirs = (await staffGet(outsider, '/api/intake/reports')).json();
    expect(theirs.items).toEqual([]);
    const bulk = await staffPost(outsider, '/api/intake/reports/bulk', { ids: [stationReport], action: 'acknowledge' });
    expect(bulk.statusCode).toBe(404);
    expect(bulk.json().error).toMatchObject({ code: 'NOT_FOUND', refused: [stationReport] });
    expect((await staffGet(outsider, `/api/intake/reports/${stationReport}/juri-hyo.pdf`)).statusCode).toBe(404);
    // the cyber division sees it; the reporter data read is audited
    expect((await staffGet(analyst, `/api/intake/reports/${stationReport}`)).statusCode).toBe(200);
    const reads = await t.platform.db.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'intake.report.read')
      .where('target_id', '=', stationReport)
      .execute();
    expect(reads.length).toBeGreaterThan(0);

    // assign, acknowledge, close; print the 受理票
    expect(
      (await staffPost(officer, `/api/intake/reports/${stationReport}/assign`, { assigneeId: officerUser.id }))
        .statusCode,
    ).toBe(200);
    expect((await staffPost(officer, `/api/intake/reports/${stationReport}/acknowledge`)).statusCode).toBe(200);
    const pdf = await staffGet(officer, `/api/intake/reports/${stationReport}/juri-hyo.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      (await staffPost(officer, `/api/intake/reports/${stationReport}/close`, { outcome: 'advice' })).statusCode,
    ).toBe(200);
  });

  it('groups near-identical texts into one cluster', async () => {
    const a = await submit({
      kind: 'report',
      reporterType: 'anonymous',
      narrative: SMISH('https://kuroneko-aa.example/x1'),
    });
    const b = await submit({
      kind: 'report',
      reporterType: 'anonymous',
      narrative: SMISH('hxxps://sagawa-bb[.]example/zz9').replace('お荷物', 'お 荷 物').normalize('NFKC'),
    });
    const c = await submit({
      kind: 'report',
      reporterType: 'anonymous',
      narrative: '知らない人からSNSで投資の勧誘を受け、100万円を振り込んだ。',
    });
    const ids = await Promise.all([a, b, c].map((r) => reportId(r.json().receiptNumber)));
    const rows = await t.platform.db.db
      .selectFrom('intake_reports')
      .select(['id', 'cluster_id'])
      .where('id', 'in', ids)
      .execute();
    const cl = Object.fromEntries(rows.map((r) => [r.id, r.cluster_id]));
    expect(cl[ids[0]!]).toBe(cl[ids[1]!]);
    expect(cl[ids[2]!]).not.toBe(cl[ids[0]!]);
    const q = (await staffGet(analyst, `/api/intake/reports?cluster=${cl[ids[0]!]}`)).json();
    expect(q.items[0].cluster.size).toBeGreaterThanOrEqual(3); // with the first test's smishing report
  });

  it('learns from a handful of confirmations of a new phrasing', async () => {
    const phrase = (n: number) => `ぽよぽよ端末のにゃんにゃん設定がふにゃふにゃになって困る件その${n}`;
    const before = (await staffPost(analyst, '/api/intake/suggest', { text: phrase(99) })).json();
    const target = before.category === 'インターネットオークション' ? 'その他' : 'インターネットオークション';
    for (let i = 0; i < 4; i++) {
      const r = await staffPost(analyst, '/api/intake/reports', {
        channel: 'phone',
        kind: 'consultation',
        reporterType: 'anonymous',
        narrative: phrase(i),
      });
      expect(
        (await staffPost(analyst, `/api/intake/reports/${r.json().id}/category`, { category: target })).statusCode,
      ).toBe(200);
    }
    const after = (await staffPost(analyst, '/api/intake/suggest', { text: phrase(99) })).json();
    expect(after.category).toBe(target);
  });

  it('never answers the public endpoint with a 5xx (fuzz)', async () => {
    const valid = { kind: 'report', reporterType: 'anonymous', narrative: 'テスト' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record({
            kind: fc.oneof(fc.constant('report'), fc.string()),
            reporterType: fc.oneof(fc.constant('anonymous'), fc.string()),
            narrative: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 300 })),
            contact: fc.option(fc.dictionary(fc.string(), fc.string())),
            indicators: fc.option(fc.record({ urls: fc.array(fc.string()) })),
          }),
          fc.string().map((s) => ({ ...valid, narrative: s || 'x', website: undefined })),
        ),
        async (body) => {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/public/reports',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body) ?? 'null',
            remoteAddress: nextAddr(),
          });
          expect(res.statusCode).toBeLessThan(500);
          const bad = await t.app.inject({
            method: 'GET',
            url: `/api/public/reports/${encodeURIComponent((typeof body === 'string' ? body : 'R8-x').slice(0, 30) || 'x')}`,
            headers: { 'x-status-token': 'x' },
            remoteAddress: nextAddr(),
          });
          expect(bad.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
