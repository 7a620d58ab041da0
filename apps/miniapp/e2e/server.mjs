// Starts and stops the real API (`npm start`) on a fresh embedded database for the e2e.
import { spawn, spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';

export function startApi({ root, port, dataDir, log }) {
  const out = openSync(log, 'a');
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so stop() ends npm, sh and node together
  });
  return child;
}

export async function waitForApi(base, timeoutMs = 600_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${base}/api/demo/users`);
      if (res.ok && (await res.json()).length > 0) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`API at ${base} did not come up in ${timeoutMs / 1000} s`);
}

export async function stopApi(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** `npm run crm -- …` on the same data directory (the embedded database allows one process). */
export function crm({ root, dataDir }, args) {
  const res = spawnSync('npm', ['run', '-s', 'crm', '--', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`crm ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last);
}
