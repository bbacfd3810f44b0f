// Where a subscriber's memory goes on the Parley server: N graphql-ws
// connections, each joining one room and subscribing to it, with the JS heap
// read after full collections at each stage, and V8's sampling heap profiler
// attributing what stays alive to the code that allocated it (by package,
// by Parley file, by function). The server runs built, in its own process.
// Run: npm run bench:memory -- [subscribers=500]
import type WebSocket from 'ws';
import { followOne, GraphqlWs, inBatches, joinAll, signIn } from './lib/clients.js';
import { INSPECT_ARGS, Inspector, type HeapSamplingNode } from './lib/inspector.js';
import { until } from './lib/proc.js';
import { liveSubscriptions, startServer } from './lib/servers.js';
import { packageOf } from './profile-summary.js';

const n = Number(process.argv[2] ?? 500);
const ROOM = 'room:memory';
const kb = (bytes: number) => (bytes / n / 1024).toFixed(2).padStart(7);

const server = await startServer('parley', INSPECT_ARGS);
const inspector = await Inspector.attach(server);
const settled = async () => {
  for (let i = 0; i < 3; i++) await inspector.collectGarbage();
  return inspector.heapUsed();
};
try {
  const tokens: string[] = [];
  await inBatches(
    Array.from({ length: n }, (_, i) => i),
    32,
    async (i) => void (tokens[i] = await signIn(server, `m${i}`)),
  );
  const stages: [string, number][] = [['signed in', await settled()]];
  await inspector.startHeapSampling();
  const conns: GraphqlWs[] = [];
  await inBatches(tokens, 32, async (t, i) => void (conns[i] = await GraphqlWs.open(server, t)));
  stages.push(['connected (graphql-ws, authenticated)', await settled()]);
  await inBatches(conns, 32, (c) => joinAll(c, [ROOM]));
  stages.push(['joined the room (presence)', await settled()]);
  const sockets: WebSocket[] = conns.map((c) => c.detach());
  for (const ws of sockets) ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: followOne(ROOM) } }));
  await until('every subscription live', async () => (await liveSubscriptions(server)) >= n, 60_000);
  stages.push(['subscribed (channelMessage)', await settled()]);
  const head = await inspector.stopHeapSampling();

  console.log(`JS heap per subscriber, ${n} subscribers, after full collections:`);
  for (let i = 1; i < stages.length; i++) {
    console.log(`${kb(stages[i]![1] - stages[i - 1]![1])} KB  ${stages[i]![0]}`);
  }
  console.log(`${kb(stages.at(-1)![1] - stages[0]![1])} KB  in all\n`);
  report(head);
  for (const ws of sockets) ws.terminate();
} finally {
  await server.stop();
}

/** Live bytes by the frame that allocated them: package, Parley file, and function. */
function report(head: HeapSamplingNode) {
  const byPackage = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  // Native frames (new Set, Array.prototype.push) are charged to the nearest JavaScript caller.
  const walk = (node: HeapSamplingNode, caller: string, callerPkg: string) => {
    const { url, functionName, lineNumber } = node.callFrame;
    const own = /\/(src|dist)\//.test(url) && !url.includes('node_modules');
    const js = Boolean(url) && !url.startsWith('node:');
    const name = js ? `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|src|dist)\//, '')}:${lineNumber + 1}` : caller;
    const pkg = js ? (own ? 'parley' : packageOf(url, functionName)) : callerPkg;
    if (node.selfSize) {
      add(byPackage, pkg, node.selfSize);
      if (pkg === 'parley') add(byFile, name.replace(/^.* (.*):\d+$/, '$1'), node.selfSize);
      add(byFunction, name, node.selfSize);
    }
    for (const c of node.children) walk(c, name, pkg);
  };
  walk(head, '(root)', '(root)');
  const table = (title: string, m: Map<string, number>, top: number) => {
    console.log(title);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kb(v)} KB  ${k}`);
    console.log();
  };
  table('Allocated and still alive, per subscriber, by package:', byPackage, 12);
  table('Parley files:', byFile, 12);
  table('Functions:', byFunction, 20);
}
