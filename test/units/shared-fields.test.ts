import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { sharedExecutionPlugin } from '../../src/plugins/shared-execution.js';
import { sharingPlugin } from '../../src/schema/sharing.js';

interface Event {
  id: string;
}

/**
 * A schema of its own: one subscription whose events every subscriber gets as
 * the same object, a field declared shared, one left undeclared that reads the
 * viewer, and one declared shared that reads the viewer anyway.
 */
function app() {
  const listeners = new Set<(e: Event) => void>();
  // Cast: the app's plugins' global option types (prisma) would be required here too.
  const b = new SchemaBuilder<{ Context: { viewer: string } }>({ plugins: [sharingPlugin] } as never);
  const Msg = b.objectRef<Event>('Msg').implement({
    fields: (t) => ({
      id: t.exposeID('id', { shared: true }),
      seenBy: t.string({ resolve: (_, __, ctx) => ctx.viewer }),
      claimsShared: t.string({ shared: true, resolve: (_, __, ctx) => ctx.viewer }),
    }),
  });
  b.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
  b.subscriptionType({
    fields: (t) => ({
      msg: t.field({
        type: Msg,
        shared: true,
        subscribe: async function* () {
          const queue: Event[] = [];
          let wake = () => {};
          const listener = (e: Event) => (queue.push(e), wake());
          listeners.add(listener);
          try {
            for (;;) {
              while (queue.length) yield queue.shift()!;
              await new Promise<void>((resolve) => (wake = resolve));
            }
          } finally {
            listeners.delete(listener);
          }
        },
        resolve: (e) => e,
      }),
    }),
  });
  const shared = sharedExecutionPlugin((e) => e as Error);
  const yoga = createYoga({ schema: b.toSchema(), plugins: [shared.plugin], logging: false });
  return {
    stats: shared.stats,
    publish: (e: Event) => listeners.forEach((l) => l(e)),
    async subscribe(viewer: string, query: string) {
      const { parse, subscribe, contextFactory, schema } = yoga.getEnveloped({ viewer });
      const result = await subscribe({ schema, document: parse(query), contextValue: await contextFactory() });
      return result as AsyncIterator<{ data?: Record<string, any>; errors?: { message: string }[] }>;
    },
  };
}

describe('sharing a subscription execution between viewers', () => {
  it('shares a selection of declared fields, runs one reaching an undeclared field per viewer, and refuses a declared field that reads the viewer', async () => {
    const { stats, publish, subscribe } = app();
    const shared = await Promise.all(['ada', 'bob'].map((v) => subscribe(v, 'subscription { msg { id } }')));
    const own = await Promise.all(['ada', 'bob'].map((v) => subscribe(v, 'subscription { msg { id seenBy } }')));
    const lying = await Promise.all(['ada', 'bob'].map((v) => subscribe(v, 'subscription { msg { id claimsShared } }')));
    const next = (its: AsyncIterator<any>[]) => Promise.all(its.map((it) => it.next().then((r) => r.value)));
    const pending = [next(shared), next(own), next(lying)];
    // Let every subscriber's source start listening before the event goes out.
    await new Promise((resolve) => setImmediate(resolve));
    publish({ id: 'm1' });
    const [s, o, l] = await Promise.all(pending);

    expect(s).toEqual([{ data: { msg: { id: 'm1' } } }, { data: { msg: { id: 'm1' } } }]);
    // Each viewer its own value: the undeclared field kept the selection out of sharing.
    expect(o).toEqual([{ data: { msg: { id: 'm1', seenBy: 'ada' } } }, { data: { msg: { id: 'm1', seenBy: 'bob' } } }]);
    // Declared but reading the viewer: an error for both, never ada's name sent to bob.
    for (const r of l!) {
      expect(r.data?.msg).toEqual({ id: 'm1', claimsShared: null });
      // Masked as any unexpected error is (yoga's default masking here).
      expect(r.errors?.map((e: { message: string }) => e.message)).toEqual(['Unexpected error.']);
    }
    // The two declared-only selections ran once each for both viewers; the undeclared one never entered sharing.
    expect(stats.executed).toBe(2);
    expect(stats.reused).toBe(2);
    for (const it of [...shared, ...own, ...lying]) await it.return?.();
  });
});
