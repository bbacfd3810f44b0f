import type { YogaServerInstance } from 'graphql-yoga';
import type { Pipeable } from '../../lib/queue.js';
import type { Context, DirectSink, ServerContext } from '../../schema/context.js';
import type { Connection } from './connection.js';
import { DirectStream } from './direct-stream.js';

export type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * One operation on a connection: yoga's pipeline it runs through, and its
 * direct sink. Execution reaches it through the operation's context.
 */
export class Operation implements DirectSink {
  /** The direct stream subscribe made, for graphql-ws to iterate instead of envelop's wrapping of it. */
  adopted: DirectStream | null = null;

  constructor(
    readonly enveloped: Enveloped,
    private readonly connection: Connection,
    private readonly id: string,
  ) {}

  pipe(source: Pipeable, payloadFor: (event: unknown) => Buffer | Promise<Buffer>, toError: (error: unknown) => Error) {
    return (this.adopted = new DirectStream(source, this, payloadFor, toError));
  }

  write(payload: Buffer): boolean {
    return this.connection.writeNext(this.id, payload);
  }
}
