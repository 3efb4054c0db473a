import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDocumentTemplates, renderStoredTemplate } from '../../platform/documents/index.ts';
import { readPdf } from '../../platform/documents/pdfText.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

const squash = (s: string) => s.replace(/\s+/g, '');

describe.each(testEngines())('document templates on %s', (engine) => {
  let t: TestContext;
  let admin: SignedIn;
  let officer: SignedIn;
  const base = '/api/admin/document-templates';

  beforeAll(async () => {
    t = await createTestContext(engine);
    const a = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, a.login, a.password);
    const o = await makeUser(t.platform, { roles: ['investigator'] });
    officer = await signIn(t.app, t.platform, o.login, o.password);
  });
  afterAll(async () => t.close());

  async function idOf(code: string): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: base, headers: admin.headers });
    return (res.json().items as { id: string; code: string }[]).find((i) => i.code === code)!.id;
  }

  it('lists the seeded 相談受理票 and 依頼文書 (and the FAX layout of requests) to administrators only', async () => {
    const res = await t.app.inject({ method: 'GET', url: base, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const listed = res.json().items.map((i: { code: string; name: string }) => [i.code, i.name]);
    expect(listed).toEqual(
      expect.arrayContaining([
        ['irai-bunsho', '依頼文書'],
        ['sodan-juri-hyo', '相談受理票'],
        ['koza-toketsu', '口座凍結検討依頼（FAX）'],
      ]),
    );
    expect(listed).toHaveLength(3);
    const denied = await t.app.inject({ method: 'GET', url: base, headers: officer.headers });
    expect(denied.statusCode).toBe(403);
    // Seeding again adds nothing.
    await ensureDocumentTemplates(t.platform);
    const again = await t.app.inject({ method: 'GET', url: base, headers: admin.headers });
    expect(again.json().items).toHaveLength(3);
  });

  it('previews a stored template as an A4 PDF with its sample data', async () => {
    const id = await idOf('sodan-juri-hyo');
    const res = await t.app.inject({ method: 'GET', url: `${base}/${id}/preview`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { pages } = await readPdf(res.rawPayload);
    expect(pages[0]).toMatchObject({ width: 595.28, height: 841.89 });
    expect(squash(pages[0]!.text)).toContain('見本花子（ミホンハナコ）');
    expect(squash(pages[0]!.text)).toContain('機密性2取扱制限：複製禁止');
  });

  it('saves an edit (version +1, audited), refuses a stale version and a broken template', async () => {
    const id = await idOf('irai-bunsho');
    const current = (await t.app.inject({ method: 'GET', url: `${base}/${id}`, headers: admin.headers })).json();
    const edit = {
      name: current.name,
      description: current.description,
      body: `${current.body}\n追記：{{追記}}`,
      marking: { confidentiality: 3, handling: ['配布禁止'] },
      sampleData: { ...current.sampleData, 追記: '至急' },
      version: current.version,
    };
    const saved = await t.app.inject({ method: 'PUT', url: `${base}/${id}`, headers: admin.headers, payload: edit });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: current.version + 1, marking: { confidentiality: 3 } });
    const stale = await t.app.inject({ method: 'PUT', url: `${base}/${id}`, headers: admin.headers, payload: edit });
    expect(stale.statusCode).toBe(409);
    const broken = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}`,
      headers: admin.headers,
      payload: { ...edit, body: '# 表題\n{{閉じていない', version: current.version + 1 },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.problems).toEqual([{ line: 2, message: '"{{" without a closing "}}"' }]);
    const denied = await t.app.inject({ method: 'PUT', url: `${base}/${id}`, headers: officer.headers, payload: edit });
    expect(denied.statusCode).toBe(403);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('target_id', '=', id)
      .execute();
    expect(audit).toEqual([{ action: 'documents.template.update', result: 'success' }]);
    // Modules render the stored (edited) layout by code.
    const pdf = await renderStoredTemplate(t.platform, 'irai-bunsho', edit.sampleData, { documentNumber: '第1号' });
    const text = squash((await readPdf(pdf)).pages[0]!.text);
    expect(text).toContain('追記：至急');
    expect(text).toContain('機密性3取扱制限：配布禁止');
  });

  it('previews an unsaved draft, and explains a broken one', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: `${base}/preview`,
      headers: admin.headers,
      payload: { name: '下書き', body: '# {{件名}}\n> {{日付|和暦}}', sampleData: { 件名: '注意喚起' } },
    });
    expect(ok.statusCode).toBe(200);
    const text = squash((await readPdf(ok.rawPayload)).pages[0]!.text);
    expect(text).toContain('注意喚起');
    expect(text).toContain('令和8年4月1日'); // the test clock's date, in Japan
    const bad = await t.app.inject({
      method: 'POST',
      url: `${base}/preview`,
      headers: admin.headers,
      payload: { body: '{{x|実行}}' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});
