#!/usr/bin/env node
// Builds the web UI (apps/web → apps/web/dist) only when the build is missing or older than its sources,
// so `npm start` and `npm run test:e2e` stay fast on a second run. Quiet when nothing needs doing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'apps/web');
const builtIndex = join(web, 'dist/index.html');
const inputs = [
  join(web, 'src'),
  join(web, 'public'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(web, 'postcss.config.cjs'),
  join(web, 'package.json'),
];

/** The newest modification time under a file or folder (0 if it does not exist). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const sourcesAt = Math.max(...inputs.map(newest));
if (builtAt > 0 && builtAt >= sourcesAt) process.exit(0);

console.log(builtAt === 0 ? 'Building the web UI (first run)…' : 'Web UI sources changed: rebuilding…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build', '--silent', '-w', '@renkei/web'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('Building the web UI failed.');
  process.exit(result.status ?? 1);
}
