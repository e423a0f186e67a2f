// What the command's test files share: running the built command, and a small local JSON server. Not a test file
// itself (node --test runs only *.test.mjs here).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(root, 'pkg', 'bin', 'fn-calls.mjs');

/** Runs the built command: `{ code, stdout, stderr }`. No progress line unless `env` asks for one. */
export function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, FN_CALLS_PROGRESS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Serves `handler(url, req)` → [status, body, headers?] on 127.0.0.1; records the URLs asked for. */
export async function jsonServer(handler) {
  const requests = [];
  const srv = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url);
    const [status, body, headers = {}] = handler(url, req);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return {
    base: `http://127.0.0.1:${srv.address().port}`,
    requests,
    close: () => new Promise((resolve) => { srv.closeAllConnections(); srv.close(resolve); }),
  };
}
