import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics/prometheus.js';
import type { Context } from '../schema/context.js';
import { errorCode } from './errors.js';

/** The operation label of every operation without a signed-in viewer (sign-ins included). */
export const UNAUTHENTICATED = 'unauthenticated';

interface Args {
  document: DocumentNode;
  operationName?: string | null;
  contextValue: unknown;
}

/**
 * One line per operation at info, and its duration in /metrics: its name and type, how long it took, the
 * outcome code (OK or the first error's code), and who asked. Never variables,
 * content or tokens. A subscription's line is written when it is set up.
 */
export function operationLogPlugin(log: Logger, metrics: Pick<Metrics, 'operation'> | null): Plugin<Context> {
  const line = (args: Args, started: number, errors: readonly unknown[] | undefined) => {
    const logging = log.isLevelEnabled('info');
    if (!logging && !metrics) return;
    const op = getOperationAST(args.document, args.operationName);
    const ms = performance.now() - started;
    const code = errors?.length ? errorCode(errors[0]) : 'OK';
    const viewer = (args.contextValue as Partial<Context>).viewer ?? null;
    // Names are the client's choice: only signed-in clients' names become labels, so anonymous traffic cannot grow /metrics.
    const label = viewer ? (op?.name?.value ?? args.operationName ?? null) : UNAUTHENTICATED;
    metrics?.operation(label, op?.operation ?? null, code, ms / 1000);
    if (!logging) return;
    log.info(
      {
        operation: op?.name?.value ?? args.operationName ?? null,
        type: op?.operation ?? null,
        ms: Math.round(ms * 100) / 100,
        code,
        userId: viewer?.userId ?? null,
        sessionId: viewer?.sessionId ?? null,
      },
      'operation',
    );
  };
  const isResult = (r: unknown): r is { errors?: readonly unknown[] } => !(r && typeof r === 'object' && Symbol.asyncIterator in r);
  return {
    onValidate({ params, context }) {
      const started = performance.now();
      return ({ result }) => {
        const operationName = (context as { params?: { operationName?: string } }).params?.operationName;
        if (result.length) line({ document: params.documentAST, operationName, contextValue: context }, started, result);
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (isResult(result)) line(args, started, result.errors);
        },
      };
    },
    onSubscribe({ args }) {
      const started = performance.now();
      return {
        onSubscribeResult({ result }) {
          line(args, started, isResult(result) ? result.errors : undefined);
        },
        onSubscribeError({ error }) {
          line(args, started, [error]);
        },
      };
    },
  };
}
