/**
 * `npm run studio`: bundles the studio (src/studio) into dist/studio/ — index.html, assets/studio.js,
 * assets/studio.css — and serves that folder on localhost, printing the URL. `--no-serve` only
 * builds (CI, publishing as a static page). The model worker is bundled from the project's src/
 * and inlined into studio.js as text (started from a Blob URL), and studio.js is a classic
 * script, so the same folder also works opened from file://, where Chromium refuses module
 * scripts and workers loaded from files. Nothing is fetched at run time.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, normalize, resolve } from 'node:path';

// The repository root, from scripts/ (run as TypeScript) or dist/scripts/ (compiled).
const parent = resolve(import.meta.dirname, '..');
const root = basename(parent) === 'dist' ? resolve(parent, '..') : parent;
const out = join(root, 'dist', 'studio');

export async function buildStudio(outDir = out): Promise<{ outDir: string; bytes: { worker: number; page: number } }> {
  const common = { bundle: true, minify: true, format: 'iife', target: 'es2022', platform: 'browser', legalComments: 'none', write: false, logLevel: 'warning' } as const;
  const worker = await build({ ...common, entryPoints: [join(root, 'src', 'studio', 'worker.ts')] });
  const workerSource = worker.outputFiles[0].text;
  const page = await build({
    ...common,
    entryPoints: [join(root, 'src', 'studio', 'ui', 'main.ts')],
    define: { WORKER_SOURCE: JSON.stringify(workerSource) },
  });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  await writeFile(join(outDir, 'assets', 'studio.js'), page.outputFiles[0].contents);
  await copyFile(join(root, 'src', 'studio', 'studio.css'), join(outDir, 'assets', 'studio.css'));
  await copyFile(join(root, 'src', 'studio', 'index.html'), join(outDir, 'index.html'));
  return { outDir, bytes: { worker: Buffer.byteLength(workerSource), page: page.outputFiles[0].contents.byteLength - Buffer.byteLength(JSON.stringify(workerSource)) } };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

/** A static file server for `dir` on 127.0.0.1 (no directory listing, nothing outside `dir`). */
export function serve(dir: string, port: number): Promise<string> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    try {
      if (!file.startsWith(dir) || !(await stat(file)).isFile()) throw new Error('not a file');
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(await readFile(file));
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      done(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`);
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const started = Date.now();
  const { outDir, bytes } = await buildStudio();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`studio built into ${outDir} in ${Date.now() - started} ms (page ${kb(bytes.page)}, model worker ${kb(bytes.worker)}, minified)`);
  console.log(`open it from disk: file://${join(outDir, 'index.html')}`);
  if (args.includes('--no-serve')) return;
  const portArg = args.find((a) => a.startsWith('--port='));
  const url = await serve(outDir, portArg ? Number(portArg.slice(7)) : 8080).catch(() => serve(outDir, 0));
  console.log(`studio at ${url}  (Ctrl-C stops the server)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
