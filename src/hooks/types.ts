/**
 * The public hook API: what an operator's hook module receives and returns.
 * TypeScript hook modules import these types from this file, e.g.
 *   import type { ParleyHooks } from '../src/hooks/types.js';
 */
import type { Logger } from 'pino';
import type { ErrorCode } from '../lib/errors.js';
import type { ChannelRef, ChannelType } from '../domain/channel-ref.js';
import type { ChatMessage, MessageAck, Presence } from '../domain/types.js';
import type { Viewer } from '../domain/viewer.js';

export type { Viewer };

// The shapes below are the hook API's own, in domain types only: the services
// return values of these shapes (the compiler checks it where the GraphQL
// edge runs the hooks), and may carry more.

export interface JoinInput {
  /** A room name, a user id (DIRECT) or a group id. */
  target: string;
  type: ChannelType;
  persistence: boolean;
  hidden: boolean;
}

export interface JoinedChannel extends ChannelRef {
  /** Other visible presences at join time. */
  presences: Presence[];
  self: Presence;
}

/** What a sender gets back: the message less its content and sender. */
export type { MessageAck };

export interface HistoryPage {
  edges: { cursor: string; node: ChatMessage }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** What each operation receives from the client, after GraphQL has checked its types. */
export interface HookInputs {
  joinChat: JoinInput;
  leaveChat: { channelId: string };
  sendMessage: { channelId: string; content: Record<string, unknown> };
  updateMessage: { channelId: string; messageId: string; content: Record<string, unknown> };
  removeMessage: { channelId: string; messageId: string };
  channelMessages: { channelId: string; first: number; after: string | null; forward: boolean };
}

/** What each operation returns to the client. */
export interface HookResults {
  joinChat: JoinedChannel;
  leaveChat: boolean;
  sendMessage: MessageAck;
  updateMessage: MessageAck;
  removeMessage: MessageAck;
  channelMessages: HistoryPage;
}

export type HookOperation = keyof HookInputs;

/** The calling session: one login on one device. */
export interface HookSession {
  id: string;
  /** The client's address (see TRUST_PROXY). */
  clientAddress: string;
}

/** The codes a hook may refuse with; they reach the client as `extensions.code`. */
export type RejectCode = Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>;

interface HookArgs<Op extends HookOperation> {
  operation: Op;
  viewer: Viewer;
  session: HookSession;
  log: Logger;
}

export interface BeforeHookArgs<Op extends HookOperation> extends HookArgs<Op> {
  input: HookInputs[Op];
  /** Refuses the operation: nothing is stored or sent, and the client gets this code and message. */
  reject(code: RejectCode, message: string): never;
}

export interface AfterHookArgs<Op extends HookOperation> extends HookArgs<Op> {
  /** The input the operation ran with (as changed by before hooks). */
  input: HookInputs[Op];
  result: HookResults[Op];
}

/**
 * Runs before the operation. Return nothing to let the input through, or the
 * fields to change (sanitize); call `reject` to refuse. Any other error also
 * refuses the operation (as INTERNAL_SERVER_ERROR, logged): a filter that
 * crashes fails closed.
 */
export type BeforeHook<Op extends HookOperation> = (
  args: BeforeHookArgs<Op>,
) => Partial<HookInputs[Op]> | void | Promise<Partial<HookInputs[Op]> | void>;

/** Runs after the operation succeeded, without delaying its response; a failure is logged and changes nothing. */
export type AfterHook<Op extends HookOperation> = (args: AfterHookArgs<Op>) => void | Promise<void>;

export interface ParleyHooks {
  before?: { [Op in HookOperation]?: BeforeHook<Op> };
  after?: { [Op in HookOperation]?: AfterHook<Op> };
}

/** What a HOOKS_MODULE's default export is called with when it is a function. */
export interface HookModuleContext {
  log: Logger;
  env: Record<string, string | undefined>;
}

/** A HOOKS_MODULE's default export: the hooks, or a function (possibly async) that returns them. */
export type HookModule = ParleyHooks | ((ctx: HookModuleContext) => ParleyHooks | Promise<ParleyHooks>);
