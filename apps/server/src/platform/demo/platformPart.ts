import { randomUUID } from 'node:crypto';
import * as users from '../../modules/admin/userService.ts';
import type { Role } from '../auth/subject.ts';
import type { Platform } from '../context.ts';
import { ensureDocumentTemplates, findTemplate, insertTemplate } from '../documents/index.ts';
import { DEMO_PREFIX } from './registry.ts';

/**
 * The one password of every demo account (docs/OPERATIONS.md § Demo data). Demo accounts still enrol TOTP at
 * their first sign-in: the demo shows the real sign-in, and a demo installation must never face a network.
 */
export const DEMO_PASSWORD = 'renkei-demo-2026';

interface DemoPerson {
  login: string;
  name: string;
  kana: string;
  unit: string;
  position: string;
  roles: Role[];
  clearance: 1 | 2 | 3;
  groups: string[];
}

const GROUP_PHISHING = `${DEMO_PREFIX} フィッシング対策プロジェクト`;
const GROUP_RANSOM = `${DEMO_PREFIX} ランサムウェア事案対応班`;

export const DEMO_GROUPS = [
  { name: GROUP_PHISHING, description: 'デモ：SMS・メールによるフィッシングの情報集約と注意喚起。' },
  { name: GROUP_RANSOM, description: 'デモ：県内事業者のランサムウェア被害への合同対応。' },
];

/** Fictitious staff of サイバー犯罪対策課 and two 警察署. */
export const DEMO_STAFF: readonly DemoPerson[] = [
  {
    login: 'demo-sato',
    name: '佐藤 健一',
    kana: 'サトウ ケンイチ',
    unit: 'cyber-ka',
    position: 'chief',
    roles: ['cyber_analyst'],
    clearance: 3,
    groups: [GROUP_PHISHING, GROUP_RANSOM],
  },
  {
    login: 'demo-takahashi',
    name: '高橋 美咲',
    kana: 'タカハシ ミサキ',
    unit: 'cyber-ka',
    position: 'senior',
    roles: ['investigator'],
    clearance: 2,
    groups: [GROUP_RANSOM],
  },
  {
    login: 'demo-suzuki',
    name: '鈴木 翔太',
    kana: 'スズキ ショウタ',
    unit: 'cyber-ka',
    position: 'staff',
    roles: ['cyber_analyst', 'investigator'],
    clearance: 2,
    groups: [GROUP_PHISHING],
  },
  {
    login: 'demo-ito',
    name: '伊藤 大輔',
    kana: 'イトウ ダイスケ',
    unit: 'st-fukushima',
    position: 'chief',
    roles: ['station_officer'],
    clearance: 2,
    groups: [GROUP_PHISHING],
  },
  {
    login: 'demo-yamamoto',
    name: '山本 由美',
    kana: 'ヤマモト ユミ',
    unit: 'st-koriyama',
    position: 'senior',
    roles: ['station_officer'],
    clearance: 1,
    groups: [],
  },
  {
    login: 'demo-watanabe',
    name: '渡辺 真理子',
    kana: 'ワタナベ マリコ',
    unit: 'cyber-ka',
    position: 'assistant_head',
    roles: ['hr'],
    clearance: 2,
    groups: [],
  },
  {
    login: 'demo-nakamura',
    name: '中村 誠',
    kana: 'ナカムラ マコト',
    unit: 'cyber-ka',
    position: 'chief',
    roles: ['auditor'],
    clearance: 1,
    groups: [],
  },
];

const DEMO_TEMPLATE = {
  code: 'demo-chuikanki',
  name: `${DEMO_PREFIX} 注意喚起（フィッシング）`,
  description: 'デモ：警察署・関係機関あての注意喚起文書の例。',
  marking: { confidentiality: 1 as const, handling: [] },
  body: `> {{文書番号}}
> {{日付|和暦}}

各警察署長　殿

> サイバー犯罪対策課長

# {{件名}}について（注意喚起）

{{本文}}

^ 記

| 確認日 | 手口 | 件数 |
|---|---|---|
| {{手口[].日付|和暦}} | {{手口[].内容}} | {{手口[].件数|数値}}件 |

> 以上
`,
  sampleData: {
    件名: '宅配業者を装うSMSによるフィッシング',
    本文: '　最近、宅配業者の不在通知を装ったSMSから偽サイトに誘導し、ID・パスワードを入力させる手口の相談が増加しています。\n　相談を受理した際は、下記の手口を参考に被害の拡大防止に努めてください。',
    手口: [
      { 日付: '2025-05-12', 内容: '不在通知を装うSMS（偽の再配達サイト）', 件数: 18 },
      { 日付: '2025-05-19', 内容: '通信事業者を装うSMS（料金未払い）', 件数: 7 },
    ],
  },
};

async function ensureGroups(p: Platform): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const g of DEMO_GROUPS) {
    const found = await p.db.db.selectFrom('groups').select('id').where('name', '=', g.name).executeTakeFirst();
    if (found) {
      ids.set(g.name, found.id);
      continue;
    }
    const id = randomUUID();
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('groups')
        .values({ id, name: g.name, description: g.description, created_at: p.clock.now().toISOString() })
        .execute();
      await p.audit.record(trx, {
        actor: null,
        action: 'group.create',
        target: { type: 'group', id },
        result: 'success',
        details: { demo: true },
      });
    });
    ids.set(g.name, id);
  }
  return ids;
}

/** Staff, need-to-know groups and a document template; each piece is skipped when it is already there. */
export async function loadPlatformDemo(p: Platform): Promise<void> {
  const db = p.db.db;
  const groups = await ensureGroups(p);
  for (const person of DEMO_STAFF) {
    if (await db.selectFrom('users').select('id').where('login', '=', person.login).executeTakeFirst()) continue;
    const unit = await db.selectFrom('units').select('id').where('code', '=', person.unit).executeTakeFirstOrThrow();
    const position = await db
      .selectFrom('positions')
      .select('id')
      .where('code', '=', person.position)
      .executeTakeFirst();
    await users.create(
      p,
      null,
      {
        login: person.login,
        name: `${DEMO_PREFIX} ${person.name}`,
        nameKana: person.kana,
        unitId: unit.id,
        positionId: position?.id ?? null,
        roles: person.roles,
        groupIds: person.groups.map((g) => groups.get(g)!),
        clearance: person.clearance,
      },
      null,
      { password: DEMO_PASSWORD, mustChange: false },
    );
  }
  await ensureDocumentTemplates(p);
  if (!(await findTemplate(db, { code: DEMO_TEMPLATE.code }))) {
    await db.transaction().execute(async (trx) => {
      const t = await insertTemplate(trx, DEMO_TEMPLATE, p.clock.now().toISOString(), null);
      await p.audit.record(trx, {
        actor: null,
        action: 'documents.templates.seed',
        target: { type: 'document_template', id: t.id },
        result: 'success',
        details: { codes: [t.code], demo: true },
      });
    });
  }
}
