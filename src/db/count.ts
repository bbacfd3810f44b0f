import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';

type Adapter = Awaited<ReturnType<SqlDriverAdapterFactory['connect']>>;
type Queryable = Pick<Adapter, 'queryRaw' | 'executeRaw'>;

/** How many SQL statements Prisma sent; tests read it before and after an operation to catch N+1 queries. */
export interface QueryCounter {
  queries: number;
}

// Adapters differ here (pg sends BEGIN/COMMIT as statements, PGlite does not), so counts would too.
const TX_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION)\b/i;

/**
 * Counts every statement, in or out of transactions, at the driver adapter:
 * the one place all SQL passes, nested relation loads included. It patches
 * the instances the factory makes, so they keep their class and fields;
 * the cost is an increment per statement.
 */
export function countQueries(factory: SqlDriverAdapterFactory, counter: QueryCounter): SqlDriverAdapterFactory {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = count(await connect(), counter);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (level) => count(await start(level), counter);
    return adapter;
  };
  return factory;
}

function count<T extends Queryable>(q: T, counter: QueryCounter): T {
  const query = q.queryRaw.bind(q);
  const execute = q.executeRaw.bind(q);
  const tick = (sql: string) => {
    if (!TX_CONTROL.test(sql)) counter.queries++;
  };
  q.queryRaw = (p: Parameters<Queryable['queryRaw']>[0]) => {
    tick(p.sql);
    return query(p);
  };
  q.executeRaw = (p: Parameters<Queryable['executeRaw']>[0]) => {
    tick(p.sql);
    return execute(p);
  };
  return q;
}
