import type { Connection } from './connection.js';

/**
 * One timer for every connection: each gets a ping every `everyMs`, and one
 * that has not answered the previous ping by then is dropped (the client or
 * the path to it is gone). 0 turns it off.
 */
export function keepAlive(connections: Iterable<Connection>, everyMs: number): () => void {
  if (everyMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    for (const connection of connections) {
      if (connection.awaitingPong) connection.socket.terminate();
      else if (connection.isOpen) {
        connection.awaitingPong = true;
        connection.socket.ping();
      }
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
