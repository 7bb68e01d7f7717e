#!/usr/bin/env node
// `npm start`: build what changed since the last build (server and web), then run the
// server. A second start with nothing changed skips the build and is ready in seconds.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  if (!statSync(target).isDirectory()) return statSync(target).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(target, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale(workspace, sources, output) {
  const outputPath = path.join(root, workspace, output);
  const built = existsSync(outputPath) ? statSync(outputPath).mtimeMs : 0;
  const changed = Math.max(...sources.map((s) => newestMtime(path.join(root, workspace, s))));
  if (built >= changed) return;
  process.stdout.write(`Building ${workspace}…\n`);
  const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

buildIfStale('server', ['src', 'tsconfig.json', 'package.json'], 'dist/main.js');
buildIfStale('web', ['src', 'index.html', 'vite.config.ts', 'package.json'], 'dist/index.html');

const child = spawn(process.execPath, [path.join(root, 'server', 'dist', 'main.js')], {
  stdio: 'inherit',
  cwd: root,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
