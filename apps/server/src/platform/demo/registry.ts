import type { Platform } from '../context.ts';

/**
 * The demo data set (`npx renkei demo`, `npm start -- --demo`). Each module adds its own part with
 * `registerDemoPart(name, load)` at the top level of its index.ts; `loadDemoData` runs the parts not loaded yet,
 * the platform part first and the rest in registration order, and records each in the `demo_loaded` setting, so loading twice adds nothing and a part
 * added by a later version is loaded on the next run. Every demo record is marked: names start with `[デモ]`,
 * logins with `demo-`.
 */
export type DemoPart = (p: Platform) => Promise<void>;

export const DEMO_PREFIX = '[デモ]';
export const DEMO_SETTING = 'demo_loaded';

const parts: { name: string; load: DemoPart }[] = [];

export function registerDemoPart(name: string, load: DemoPart): void {
  if (parts.some((x) => x.name === name)) throw new Error(`demo part ${name} is registered twice`);
  parts.push({ name, load });
}

export function demoParts(): string[] {
  return parts.map((x) => x.name);
}

async function loadedParts(p: Platform): Promise<Record<string, string>> {
  const row = await p.db.db.selectFrom('settings').select('value').where('key', '=', DEMO_SETTING).executeTakeFirst();
  if (!row) return {};
  const parsed = JSON.parse(row.value) as { parts?: Record<string, string> };
  return parsed.parts ?? {};
}

async function markLoaded(p: Platform, done: Record<string, string>): Promise<void> {
  const value = JSON.stringify({ parts: done });
  await p.db.db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('settings').set({ value }).where('key', '=', DEMO_SETTING).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await trx.insertInto('settings').values({ key: DEMO_SETTING, value }).execute();
  });
}

/** Whether any demo data has been loaded into this installation (the UI may show a banner). */
export async function demoLoaded(p: Platform): Promise<boolean> {
  return Object.keys(await loadedParts(p)).length > 0;
}

/** Loads every registered demo part that is not loaded yet; returns the names loaded now and those already there. */
export async function loadDemoData(p: Platform): Promise<{ loaded: string[]; already: string[] }> {
  // Modules register their parts when they are imported; make sure all of them are.
  await import('../../modules.ts');
  const done = await loadedParts(p);
  const loaded: string[] = [];
  const already: string[] = [];
  // The platform part (demo staff and groups) goes first: the other parts refer to its people.
  const ordered = [...parts.filter((x) => x.name === 'platform'), ...parts.filter((x) => x.name !== 'platform')];
  for (const part of ordered) {
    if (done[part.name]) {
      already.push(part.name);
      continue;
    }
    await part.load(p);
    done[part.name] = p.clock.now().toISOString();
    await markLoaded(p, done);
    loaded.push(part.name);
  }
  return { loaded, already };
}
