// Builds the web chat and serves it: npm run example:web-chat
//
// PARLEY_URL  Parley's GraphQL endpoint (default http://localhost:4000/graphql)
// PORT, HOST  where this page is served (default 5173 on 127.0.0.1)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface WebChatOptions {
  parleyUrl?: string;
  port?: number;
  host?: string;
  /** Messages per history page. */
  pageSize?: number;
}

export interface WebChatServer {
  url: string;
  close(): Promise<void>;
}

/** Bundles src/main.ts into dist/; returns the files it wrote, by URL path. */
export async function buildWebChat(): Promise<Map<string, Uint8Array>> {
  const { outputFiles } = await build({
    entryPoints: [here('src/main.ts')],
    outdir: here('dist'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    // Served from memory, so a build running elsewhere at the same time cannot hand this server half a file.
    write: false,
  });
  await mkdir(here('dist'), { recursive: true });
  await Promise.all(outputFiles.map((f) => writeFile(f.path, f.contents)));
  return new Map(outputFiles.map((f) => [`/${basename(f.path)}`, f.contents]));
}

export async function serveWebChat(options: WebChatOptions = {}): Promise<WebChatServer> {
  const bundle = await buildWebChat();
  const settings = { url: options.parleyUrl ?? 'http://localhost:4000/graphql', pageSize: options.pageSize ?? 20 };
  // "<" escaped so that no value can close the script element.
  const script = `<script>window.PARLEY = ${JSON.stringify(settings).replaceAll('<', '\\u003c')};</script>`;
  const files = new Map<string, [string | Uint8Array, string]>([
    ['/', [(await readFile(here('index.html'), 'utf8')).replace('<!-- parley-config -->', script), 'text/html']],
    ['/main.js', [bundle.get('/main.js')!, 'text/javascript']],
    ['/main.js.map', [bundle.get('/main.js.map')!, 'application/json']],
  ]);
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) return void res.writeHead(404).end('Not found');
    res.writeHead(200, { 'content-type': `${file[1]}; charset=utf-8`, 'cache-control': 'no-store' }).end(file[0]);
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(options.port ?? 5173, options.host ?? '127.0.0.1', ok));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok()).closeAllConnections()),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === here('serve.ts')) {
  const parleyUrl = process.env.PARLEY_URL ?? 'http://localhost:4000/graphql';
  const chat = await serveWebChat({ parleyUrl, port: Number(process.env.PORT ?? 5173), host: process.env.HOST });
  console.log(`Web chat on ${chat.url} (Parley at ${parleyUrl}; start it with npm start)`);
}
