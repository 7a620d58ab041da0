// Brings the workspace's dependencies when they are missing or stale, using only
// Node.js and npm: pnpm itself comes through npx at the pinned version.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(root, 'pnpm-lock.yaml');
const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');

function upToDate() {
  if (!existsSync(installed) || !existsSync(lockfile)) return false;
  // pnpm keeps a copy of the lockfile it installed from; equal copies mean nothing changed.
  return readFileSync(installed, 'utf8') === readFileSync(lockfile, 'utf8');
}

if (!upToDate()) {
  const started = Date.now();
  console.log('Installing dependencies with pnpm 10.34.9 …');
  execSync('npx --yes pnpm@10.34.9 install --frozen-lockfile --prefer-offline', {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  console.log(`Dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
