// Builds the H5 mini-app when its build is missing or older than its sources, so
// `npm start` serves the current UI at /. A failed build does not stop the API.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps', 'miniapp');
const built = join(app, 'dist', 'h5', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  // Tests do not change what is served: editing one must not trigger a rebuild.
  for (const e of readdirSync(path)) if (!/\.test\.[jt]sx?$/.test(e)) max = Math.max(max, newest(join(path, e)));
  return max;
}

if (!existsSync(join(app, 'package.json'))) process.exit(0);
const sources = Math.max(
  newest(join(app, 'src')),
  newest(join(app, 'config')),
  newest(join(root, 'packages', 'contract', 'src')),
);
if (existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);

console.log('Building the H5 mini-app (first start or changed sources) …');
const started = Date.now();
const res = spawnSync(process.execPath, [join(root, 'scripts', 'build-miniapp.mjs'), 'h5'], {
  cwd: root,
  stdio: 'inherit',
});
if (res.status === 0) console.log(`H5 built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
else console.warn('The H5 build failed; the API still starts (see the output above).');
