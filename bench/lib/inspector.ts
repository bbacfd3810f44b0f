// The inspector protocol of a child server (started with --inspect=127.0.0.1:0):
// a full GC before each RSS reading, so RSS per subscriber is not start-up
// garbage, and a CPU profile over exactly the measured window (--cpu-prof
// would profile the whole life of the process, where signing in a thousand
// users would drown out delivery). Idle, an attached session costs nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { until, type NodeChild } from './proc.js';

export const INSPECT_ARGS = ['--inspect=127.0.0.1:0'];

/** A node of V8's sampling heap profile: bytes still alive allocated by this call frame (selfSize) and below it. */
export interface HeapSamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapSamplingNode[];
}

export class Inspector {
  private nextId = 0;
  private replies = new Map<number, (result: unknown) => void>();

  private constructor(private ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; result?: unknown };
      if (m.id !== undefined) this.replies.get(m.id)?.(m.result);
    });
  }

  static async attach(child: NodeChild): Promise<Inspector> {
    const find = () => /Debugger listening on (ws:\/\/\S+)/.exec(child.output())?.[1];
    await until('the inspector address', () => Boolean(find()));
    const ws = new WebSocket(find()!);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Inspector(ws);
  }

  private call<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.replies.set(id, resolve as (r: unknown) => void);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async collectGarbage(): Promise<void> {
    await this.call('HeapProfiler.collectGarbage');
  }

  /** Bytes of live objects on the V8 heap (read after collectGarbage, what the process holds). */
  async heapUsed(): Promise<number> {
    return (await this.call<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  /**
   * Starts V8's sampling heap profiler (one sample per `interval` bytes allocated, on average).
   * `kept`: 'live' counts the bytes still alive when it stops; 'all' every byte allocated;
   * 'survivors' the bytes that outlived a young-generation collection (moved to old space,
   * whether or not a full collection freed them later): what makes scavenges slow and fills old space.
   */
  async startHeapSampling(interval = 4096, kept: 'live' | 'all' | 'survivors' = 'live'): Promise<void> {
    await this.call('HeapProfiler.enable');
    await this.call('HeapProfiler.startSampling', {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: kept !== 'live',
      includeObjectsCollectedByMinorGC: kept === 'all',
    });
  }

  /** Stops it; by default the samples still alive count the bytes that stayed, by the stack that allocated them. */
  async stopHeapSampling(): Promise<HeapSamplingNode> {
    const { profile } = await this.call<{ profile: { head: HeapSamplingNode } }>('HeapProfiler.stopSampling');
    return profile.head;
  }

  async startProfile(): Promise<void> {
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: 500 }); // µs
    await this.call('Profiler.start');
  }

  /** Stops profiling and writes the .cpuprofile (Chrome DevTools format) to `file`. */
  async stopProfile(file: string): Promise<void> {
    const { profile } = await this.call<{ profile: unknown }>('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
  }

  close(): void {
    this.ws.close();
  }
}

const survivors = () => process.env.BENCH_HEAP_PROFILE === 'survivors';

/**
 * Starts a CPU profile and, beside it, allocation sampling of every byte allocated
 * (one sample per 32 KiB; with BENCH_HEAP_PROFILE=survivors, one per 4 KiB of what
 * outlived a scavenge).
 */
export async function startProfiles(inspector: Inspector): Promise<void> {
  await inspector.startProfile();
  await inspector.startHeapSampling(survivors() ? 4096 : 32768, survivors() ? 'survivors' : 'all');
}

/** Writes `file` (.cpuprofile) and the allocation profile beside it (.heapprofile, or .survivors.heapprofile). */
export async function stopProfiles(inspector: Inspector, file: string): Promise<void> {
  await inspector.stopProfile(file);
  const heapFile = file.replace(/cpuprofile$/, survivors() ? 'survivors.heapprofile' : 'heapprofile');
  writeFileSync(heapFile, JSON.stringify({ head: await inspector.stopHeapSampling() }));
}

/**
 * With `dir` set (BENCH_PROFILE_DIR, from --profile), profiles the server (started
 * with INSPECT_ARGS) until the returned function is called, writing
 * `<dir>/parley-<name>-<time>.cpuprofile` and its allocation profile (see
 * startProfiles); without it, does nothing.
 */
export async function profileUntil(server: NodeChild, dir: string | undefined, name: string): Promise<() => Promise<string | undefined>> {
  if (!dir) return async () => undefined;
  const inspector = await Inspector.attach(server);
  await startProfiles(inspector);
  return async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `parley-${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    await stopProfiles(inspector, file);
    inspector.close();
    return file;
  };
}
