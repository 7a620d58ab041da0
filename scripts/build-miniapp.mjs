// Builds the mini-app for one target: `npm run build:miniapp -- <weapp|qywx|dd|h5>`.
// Output: apps/miniapp/dist/<target>/. Only Node.js is needed: Taro's CLI runs in a child
// node process. TARO_APP_API_BASE is passed through (mini-programs need an absolute
// API origin; H5 defaults to the page's own origin).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGETS = ['weapp', 'qywx', 'dd', 'h5'];
const WEAPP_MAIN_LIMIT = 2 * 1024 * 1024; // the platform's hard limit
const WEAPP_MAIN_BUDGET = 1024 * 1024; // ours

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps', 'miniapp');
const target = process.argv[2];

if (!TARGETS.includes(target)) {
  console.error(`usage: npm run build:miniapp -- <${TARGETS.join('|')}>  (got ${JSON.stringify(target ?? '')})`);
  process.exit(2);
}

const taroBin = createRequire(join(app, 'package.json')).resolve('@tarojs/cli/bin/taro');
const started = Date.now();
const run = spawnSync(process.execPath, [taroBin, 'build', '--type', target], {
  cwd: app,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', TARO_ENV: target },
});
if (run.status !== 0) {
  console.error(`build:miniapp ${target} failed (exit ${run.status ?? run.signal})`);
  process.exit(run.status ?? 1);
}

const out = join(app, 'dist', target);
if (!existsSync(out)) {
  console.error(`build:miniapp ${target}: ${out} was not produced`);
  process.exit(1);
}

// Code-package size as the platform counts it: everything shipped, minus licence notes
// and IDE project files (no sub-packages yet, so all of it is the main package).
function size(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += size(p);
    else if (!/\.LICENSE\.txt$|^project(\.private)?\.config\.json$|^mini\.project\.json$/.test(entry.name)) {
      total += statSync(p).size;
    }
  }
  return total;
}

const bytes = size(out);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const kb = (bytes / 1024).toFixed(1);
console.log(`build:miniapp ${target}: ok in ${seconds} s → apps/miniapp/dist/${target} (${kb} KB)`);
if (target === 'weapp' || target === 'qywx') {
  console.log(
    `${target} main package: ${kb} KB (budget ${WEAPP_MAIN_BUDGET / 1024} KB, platform limit ${WEAPP_MAIN_LIMIT / 1024} KB)`,
  );
  if (bytes > WEAPP_MAIN_LIMIT) {
    console.error(`${target} main package exceeds the platform's 2 MB limit`);
    process.exit(1);
  }
  if (bytes > WEAPP_MAIN_BUDGET) console.warn(`warning: ${target} main package is over the 1 MB budget`);
}
