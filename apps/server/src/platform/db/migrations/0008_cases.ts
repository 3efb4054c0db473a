import { type Kysely, sql } from 'kysely';
import type { Engine } from '../connect.ts';

/** The three-tier NPA arrest classification (domain.md §1.2): [code, parent, label ja, label en]. Admins may add more. */
const CLASSIFICATIONS: [string, string | null, string, string][] = [
  ['ua', null, '不正アクセス禁止法違反', 'Unauthorised Computer Access Act'],
  ['ua.access', 'ua', '不正アクセス行為', 'Unauthorised access'],
  ['ua.access.id_theft', 'ua.access', '識別符号窃用型', 'Stolen credentials'],
  ['ua.access.sec_hole', 'ua.access', 'セキュリティ・ホール攻撃型', 'Exploited vulnerability'],
  ['ua.obtain', 'ua', '識別符号の取得', 'Obtaining credentials'],
  ['ua.provide', 'ua', '識別符号の提供（助長）', 'Providing credentials (facilitation)'],
  ['ua.store', 'ua', '識別符号の不正保管', 'Storing credentials'],
  ['ua.phishing', 'ua', '不正入力要求（フィッシング）', 'Phishing (illegal input request)'],
  ['comp', null, 'コンピュータ・電磁的記録対象犯罪', 'Crimes targeting computers and electromagnetic records'],
  ['comp.record', 'comp', '電磁的記録不正作出・毀棄等', 'Unauthorised creation or destruction of records'],
  ['comp.record.card', 'comp.record', '支払用カード電磁的記録不正作出', 'Payment card record forgery'],
  ['comp.obstruct', 'comp', '電子計算機損壊等業務妨害', 'Obstruction of business by damaging computers'],
  ['comp.fraud', 'comp', '電子計算機使用詐欺', 'Computer fraud'],
  ['comp.virus', 'comp', '不正指令電磁的記録作成・供用等（ウイルス罪）', 'Malware offences'],
  ['net', null, 'その他（ネットワーク利用犯罪）', 'Other (network-enabled crimes)'],
  ['net.fraud', 'net', '詐欺', 'Fraud'],
  ['net.child', 'net', '児童買春・児童ポルノ禁止法違反', 'Child prostitution and pornography'],
  ['net.child.porn', 'net.child', '児童ポルノ', 'Child pornography'],
  ['net.child.prostitution', 'net.child', '児童買春', 'Child prostitution'],
  ['net.youth', 'net', '青少年保護育成条例違反', 'Youth protection ordinance'],
  ['net.obscene', 'net', 'わいせつ物頒布等', 'Distribution of obscene material'],
  ['net.copyright', 'net', '著作権法違反', 'Copyright Act'],
  ['net.trademark', 'net', '商標法違反', 'Trademark Act'],
  ['net.defamation', 'net', '名誉毀損', 'Defamation'],
  ['net.insult', 'net', '侮辱', 'Insult'],
  ['net.threat', 'net', '脅迫', 'Intimidation'],
  ['net.stalker', 'net', 'ストーカー規制法違反', 'Anti-Stalking Act'],
  ['net.aml', 'net', '犯罪収益移転防止法違反', 'Act on Prevention of Transfer of Criminal Proceeds'],
  ['net.child_welfare', 'net', '児童福祉法違反', 'Child Welfare Act'],
  ['net.dating', 'net', '出会い系サイト規制法違反', 'Online Dating Site Act'],
  ['net.pmd', 'net', '医薬品医療機器等法違反', 'Pharmaceuticals and Medical Devices Act'],
  ['net.other', 'net', 'その他', 'Other'],
];

/**
 * Cases (事件・事案, issue 7 core): cases, members, supporting units, persons, damages, linked reports, timeline,
 * tasks, attachments, the crime-classification vocabulary and case-number sequences. Japanese full-text search:
 * FTS5 trigram tables on SQLite, pg_trgm GIN indexes on PostgreSQL (queried through `dialect.textSearchKeys`).
 * Evidence, support, joint work and warrants reference these tables from 0009.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('case_classifications')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('parent_code', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('label_ja', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  const k = db as Kysely<Record<string, Record<string, unknown>>>;
  await k
    .insertInto('case_classifications')
    .values(
      CLASSIFICATIONS.map(([code, parent, ja, en], i) => ({
        code,
        parent_code: parent,
        level: code.split('.').length,
        label_ja: ja,
        label_en: en,
        sort: (i + 1) * 10,
        active: 1,
      })),
    )
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('number_year', 'integer', (c) => c.notNull())
    .addColumn('number_seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('classification_code', 'text')
    .addColumn('lead_unit_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('confidentiality', 'integer', (c) => c.notNull())
    .addColumn('handling', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('recognised_on', 'text')
    .addColumn('cleared_on', 'text')
    .addColumn('referred_on', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_updated').on('cases').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('cases_lead_unit').on('cases').columns(['lead_unit_id', 'updated_at']).execute();
  await db.schema.createIndex('cases_stage').on('cases').columns(['stage', 'cleared_on']).execute();

  await db.schema
    .createTable('case_members')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    // A copy of cases.updated_at kept by triggers: each member's list is one keyset walk of his own index.
    .addColumn('case_updated_at', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('case_members_pk', ['case_id', 'user_id'])
    .execute();
  await db.schema.createIndex('case_members_user').on('case_members').columns(['user_id', 'case_id']).execute();
  await db.schema
    .createIndex('case_members_user_updated')
    .on('case_members')
    .columns(['user_id', 'case_updated_at', 'case_id'])
    .execute();

  await db.schema
    .createTable('case_units')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_units_pk', ['case_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('case_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_persons_case').on('case_persons').column('case_id').execute();

  await db.schema
    .createTable('case_damages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('amount_yen', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_damages_case').on('case_damages').column('case_id').execute();

  await db.schema
    .createTable('case_reports')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_reports_pk', ['case_id', 'report_id'])
    .execute();
  await db.schema.createIndex('case_reports_report').on('case_reports').column('report_id').execute();

  await db.schema
    .createTable('case_timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_timeline_case').on('case_timeline').columns(['case_id', 'at', 'id']).execute();

  await db.schema
    .createTable('case_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('case_tasks_case').on('case_tasks').columns(['case_id', 'status']).execute();
  await db.schema.createIndex('case_tasks_assignee').on('case_tasks').columns(['assignee_id', 'status']).execute();

  await db.schema
    .createTable('case_attachments')
    .addColumn('file_ref_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_attachments_case').on('case_attachments').column('case_id').execute();

  await db.schema
    .createTable('case_sequences')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  if (engine === 'sqlite') {
    await sql`create trigger case_members_touch_ins after insert on case_members begin
      update case_members set case_updated_at = (select updated_at from cases where id = new.case_id)
      where case_id = new.case_id and user_id = new.user_id; end`.execute(db);
    await sql`create trigger cases_touch_members after update of updated_at on cases begin
      update case_members set case_updated_at = new.updated_at where case_id = new.id; end`.execute(db);
    // Trigram FTS5 tables keyed by the record id (UNINDEXED); kept by triggers. Timeline entries are never edited.
    await sql`create virtual table cases_fts using fts5(key unindexed, title, summary, case_number, tokenize='trigram')`.execute(
      db,
    );
    await sql`create trigger cases_fts_ins after insert on cases begin
      insert into cases_fts(key, title, summary, case_number) values (new.id, new.title, new.summary, new.case_number); end`.execute(
      db,
    );
    await sql`create trigger cases_fts_upd after update of title, summary on cases begin
      delete from cases_fts where key = old.id;
      insert into cases_fts(key, title, summary, case_number) values (new.id, new.title, new.summary, new.case_number); end`.execute(
      db,
    );
    // Keyed by case id (what a search returns); timeline entries are never edited.
    await sql`create virtual table case_timeline_fts using fts5(key unindexed, body, tokenize='trigram')`.execute(db);
    await sql`create trigger case_timeline_fts_ins after insert on case_timeline begin
      insert into case_timeline_fts(key, body) values (new.case_id, new.body); end`.execute(db);
  } else {
    await sql`create function case_members_touch() returns trigger language plpgsql as $$
      begin new.case_updated_at := (select updated_at from cases where id = new.case_id); return new; end $$`.execute(
      db,
    );
    await sql`create trigger case_members_touch_ins before insert on case_members
      for each row execute function case_members_touch()`.execute(db);
    await sql`create function cases_touch_members() returns trigger language plpgsql as $$
      begin update case_members set case_updated_at = new.updated_at where case_id = new.id; return null; end $$`.execute(
      db,
    );
    await sql`create trigger cases_touch_members after update of updated_at on cases
      for each row when (old.updated_at is distinct from new.updated_at) execute function cases_touch_members()`.execute(
      db,
    );
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index cases_title_trgm on cases using gin (title gin_trgm_ops)`.execute(db);
    await sql`create index cases_summary_trgm on cases using gin (summary gin_trgm_ops)`.execute(db);
    await sql`create index cases_number_trgm on cases using gin (case_number gin_trgm_ops)`.execute(db);
    await sql`create index case_timeline_body_trgm on case_timeline using gin (body gin_trgm_ops)`.execute(db);
  }
}
