// A small Parley chat client: plain DOM, urql for queries and mutations,
// graphql-ws for the live feeds. serve.ts bundles it and sets window.PARLEY.
import {
  Client,
  CombinedError,
  fetchExchange,
  subscriptionExchange,
  type AnyVariables,
  type OperationResult,
  type OperationResultSource,
} from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import {
  ActivityDocument,
  HistoryDocument,
  InboxDocument,
  InboxUpdatesDocument,
  JoinChatDocument,
  LeaveChatDocument,
  MarkReadDocument,
  MeDocument,
  MessagesDocument,
  NotificationsDocument,
  PresenceEventsDocument,
  PresencesDocument,
  ReadsDocument,
  RepliesDocument,
  SearchDocument,
  SendDocument,
  SignInDocument,
  SignOutDocument,
  TypingDocument,
  type ActivitySubscription,
  type ChannelType,
  type JoinChatMutation,
  type MessageFragment,
  type NotificationsSubscription,
  type PresenceEventsSubscription,
  type PresenceFragment,
} from './generated/operations.js';
import { InboxList, type Entry } from './inbox.js';
import { TypingLine, TypingSender } from './typing.js';

declare global {
  interface Window {
    PARLEY?: { url?: string; pageSize?: number };
  }
}
const config = { url: 'http://localhost:4000/graphql', pageSize: 20, ...window.PARLEY };

const saved = {
  get: <T>(key: string): T | null => JSON.parse(localStorage.getItem(`parley.${key}`) ?? 'null') as T | null,
  set: (key: string, value: unknown) => localStorage.setItem(`parley.${key}`, JSON.stringify(value)),
};

interface Auth {
  token: string;
  sessionId: string;
  userId: string;
  username: string;
}
interface ChatRef {
  target: string;
  type: ChannelType;
}
interface Chat {
  id: string;
  ref: ChatRef;
  view: HTMLElement;
  /** Shown messages by id: a message seen twice (history and live) is shown once, and edits find theirs. */
  messages: Map<string, HTMLLIElement>;
  presences: Map<string, PresenceFragment>;
  /** Cursor of the newest stored message seen: a new subscription resumes after it. */
  newest: string | null;
  /** Where "load older" continues. */
  older: string | null;
  /** The newest stored message shown: where the read mark goes while the chat is on screen. */
  lastShown: string | null;
  /** The last mark this page asked for, so one message is marked once. */
  markedUpTo: string | null;
  /** In a direct chat: the newest message the other user has read. */
  peerRead: string | null;
  /** Usernames (lower case) to user ids, of everyone seen here: what "@name" in the composer mentions. */
  people: Map<string, string>;
  /** What each shown message says, for quoting it above its replies. */
  said: Map<string, string>;
  /** The message the composer replies to. */
  replyingTo: string | null;
  typing: TypingLine;
  left: boolean;
  /** Presence events that arrive while a snapshot is on its way, applied again on top of it. */
  replay: PresenceEventsSubscription['channelPresence'][] | null;
  stop: () => void;
}

let auth = saved.get<Auth>('auth');
let ws: WsClient | null = null;
const chats = new Map<string, Chat>();

const api = new Client({
  url: config.url,
  preferGetMethod: false,
  fetchOptions: (): RequestInit => (auth ? { headers: { authorization: `Bearer ${auth.token}` } } : {}),
  exchanges: [
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws!.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});

async function call<D, V extends AnyVariables>(source: OperationResultSource<OperationResult<D, V>>): Promise<D> {
  const { data, error } = await source.toPromise();
  if (error || !data) throw error ?? new Error('The server sent no data.');
  return data;
}
const errorCode = (e: unknown) => (e instanceof CombinedError ? e.graphQLErrors[0]?.extensions?.code : undefined);
const errorText = (e: unknown) => (e instanceof CombinedError ? (e.graphQLErrors[0]?.message ?? e.message) : String(e));

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document) => root.querySelector(selector) as T;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function report(e: unknown) {
  $('#error').textContent = e ? errorText(e) : '';
}
const inbox = new InboxList($('#chats'), (e) => select(e), entryLabel);

// ---- signing in

function deviceId(): string {
  let id = saved.get<string>('deviceId');
  if (!id) {
    // getRandomValues, unlike randomUUID, also works on a plain-http page served from a LAN address.
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    saved.set('deviceId', id);
  }
  return id;
}

async function signIn(username: string) {
  auth = null;
  const { authenticateDevice: a } = await call(api.mutation(SignInDocument, { deviceId: deviceId(), username }));
  auth = { token: a.token, sessionId: a.sessionId, userId: a.user.id, username: a.user.username };
  saved.set('auth', auth);
}

async function start() {
  if (!auth) {
    $('#signin').hidden = false;
    return;
  }
  // A stored token may have expired or been signed out; the same device signs in again as the same user.
  await call(api.query(MeDocument, {})).catch((e) => (errorCode(e) === 'UNAUTHENTICATED' ? signIn(auth!.username) : Promise.reject(e)));
  await openChat();
}

$('#signin form').addEventListener('submit', (e) => {
  e.preventDefault();
  const username = new FormData(e.target as HTMLFormElement).get('username') as string;
  signIn(username.trim()).then(openChat, (err) => ($('#signin .alert').textContent = errorText(err)));
});

// ---- the connection

function setStatus(text: string, down: boolean) {
  $('#status').textContent = text;
  $('#status').classList.toggle('down', down);
}

function connect(): WsClient {
  let pongDeadline: ReturnType<typeof setTimeout> | undefined;
  const client = createWsClient({
    url: config.url.replace(/^http/, 'ws'),
    // One socket for the page's life, so it comes back even while no subscription is open.
    lazy: false,
    retryAttempts: Infinity,
    // Any failure is worth retrying, not only close events: an offline browser fails to open the socket at all.
    shouldRetry: () => true,
    retryWait: async (retries) => {
      if (!navigator.onLine) await new Promise((resolve) => addEventListener('online', resolve, { once: true }));
      else await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10_000) * (0.5 + Math.random())));
    },
    // Read at every connect, so a retry carries the current token.
    connectionParams: () => ({ authorization: `Bearer ${auth?.token}` }),
    keepAlive: 10_000,
    on: {
      connecting: () => setStatus('connecting…', true),
      connected: (_socket, _payload, wasRetry) => {
        setStatus('connected', false);
        // graphql-ws would resend each subscription exactly as first sent; fresh ones resume after the newest message seen.
        if (wasRetry) for (const chat of chats.values()) if (!chat.left) follow(chat).catch(report);
      },
      closed: (event) => {
        clearTimeout(pongDeadline);
        const code = (event as CloseEvent).code;
        if (code === 4401 || code === 4403) return sessionEnded();
        setStatus(navigator.onLine ? 'reconnecting…' : 'offline, waiting for the network…', true);
      },
      // graphql-ws pings but never gives up on the pong: a socket on a dead network would wait forever.
      ping: (received) => {
        if (!received) pongDeadline = setTimeout(() => client.terminate(), 5_000);
      },
      pong: (received) => received && clearTimeout(pongDeadline),
    },
  });
  return client;
}

// The browser knows the network is gone before TCP does: drop the socket now and reconnect when it is back.
addEventListener('offline', () => ws?.terminate());

function sessionEnded() {
  void ws?.dispose();
  setStatus('Your session has ended.', true);
  $('#sign-in-again').hidden = false;
}

$('#sign-in-again').addEventListener('click', () => {
  signIn(auth!.username).then(() => location.reload(), report);
});

$('#sign-out').addEventListener('click', async () => {
  await ws?.dispose();
  await call(api.mutation(SignOutDocument, {})).catch(() => {});
  saved.set('auth', null);
  saved.set('chats', []);
  location.reload();
});

async function openChat() {
  $('#signin').hidden = true;
  $('#chat').hidden = false;
  $('#me').textContent = auth!.username;
  $<HTMLInputElement>('#my-id').value = auth!.userId;
  ws = connect();
  api.subscription(NotificationsDocument, {}).subscribe(({ data }) => data && onNotification(data.notification));
  // Listening first, so a change made while the first page loads is not lost.
  api.subscription(InboxUpdatesDocument, {}).subscribe(({ data }) => data && onEntry(data.inboxUpdate));
  const { inbox: page } = await call(api.query(InboxDocument, { first: 50 }));
  inbox.load(page.edges.map((e) => e.node));
  // Joined again to be present; only the last one opened is on screen, so only its messages count as read.
  const refs = saved.get<ChatRef[]>('chats') ?? [];
  for (const [i, ref] of refs.entries()) await open(ref, i === refs.length - 1).catch(report);
}

$('#copy-id').addEventListener('click', () => {
  $<HTMLInputElement>('#my-id').select();
  void navigator.clipboard?.writeText(auth!.userId);
});

// ---- chats

function remember(ref: ChatRef, keep: boolean) {
  const others = (saved.get<ChatRef[]>('chats') ?? []).filter((r) => r.type !== ref.type || r.target !== ref.target);
  saved.set('chats', keep ? [...others, ref] : others);
}

const peerOf = (c: { userIdOne?: string | null; userIdTwo?: string | null }) => (c.userIdOne === auth!.userId ? c.userIdTwo : c.userIdOne);

function labelOf(c: JoinChatMutation['joinChat']) {
  if (c.roomName !== null) return `# ${c.roomName}`;
  const known = inbox.get(c.id);
  if (known) return entryLabel(known);
  const peer = peerOf(c);
  return `@ ${c.presences.find((p) => p.userId === peer)?.username ?? peer}`;
}

function entryLabel(e: Entry) {
  return e.type === 'ROOM' ? `# ${e.roomName}` : e.type === 'DIRECT' ? `@ ${e.title}` : e.title;
}

/** An inbox entry was clicked: its chat, joined if it is not open yet. */
function select(e: Entry) {
  goTo(e).catch(report);
}

async function goTo(e: Pick<Entry, 'channelId' | 'type' | 'roomName' | 'groupId' | 'userIdOne' | 'userIdTwo'>): Promise<Chat | undefined> {
  const open_ = chats.get(e.channelId);
  if (open_ && !open_.left) {
    show(open_);
    return open_;
  }
  const ref: ChatRef =
    e.type === 'ROOM'
      ? { target: e.roomName!, type: 'ROOM' }
      : e.type === 'GROUP'
        ? { target: e.groupId!, type: 'GROUP' }
        : { target: peerOf(e)!, type: 'DIRECT' };
  await open(ref);
  return chats.get(e.channelId);
}

// ---- search

$('#search').addEventListener('submit', (e) => {
  e.preventDefault();
  const query = new FormData(e.target as HTMLFormElement).get('query') as string;
  search(query).catch(report);
});

async function search(query: string) {
  const { searchMessages } = await call(api.query(SearchDocument, { query }));
  const found = searchMessages.edges.map(({ node }) => {
    const where = inbox.get(node.channelId);
    const label = where ? entryLabel(where) : node.channelId;
    return el(
      'li',
      {},
      el('button', { textContent: `${label} · ${node.username}: ${textOf(node)}`, onclick: () => openFound(node).catch(report) }),
    );
  });
  $('#results').replaceChildren(...(found.length ? found : [el('li', {}, 'Nothing found.')]));
}

/** Opens a search result's chat and marks the message, if it is among those shown. */
async function openFound(m: MessageFragment & { channelId: string }) {
  const entry = inbox.get(m.channelId);
  if (!entry) throw new Error(`Channel ${m.channelId} is not in your chats any more.`);
  const chat = await goTo(entry);
  const li = chat?.messages.get(m.id);
  for (const other of chat?.messages.values() ?? []) other.classList.toggle('found', other === li);
  li?.scrollIntoView({ block: 'center' });
}

function onEntry(e: Entry) {
  inbox.apply(e);
  const chat = chats.get(e.channelId);
  if (!chat) return;
  // A direct chat opened by id gets its name once the server's entry arrives.
  setLabel(chat, entryLabel(e));
  maybeMarkRead(chat);
}

function setLabel(chat: Chat, label: string) {
  $('h2', chat.view).textContent = label;
  chat.view.setAttribute('aria-label', label);
}

async function open(ref: ChatRef, focus = true) {
  const { joinChat: c } = await call(api.mutation(JoinChatDocument, ref));
  report(null);
  remember(ref, true);
  const chat = chats.get(c.id) ?? createChat(c.id, ref, labelOf(c));
  chat.left = false;
  $('.notice', chat.view).hidden = true;
  $('.leave', chat.view).hidden = false;
  $<HTMLInputElement>('.composer input', chat.view).disabled = false;
  setPresences(chat, [c.self, ...c.presences]);
  if (focus) show(chat);
  // The first page of history comes first: its cacheableCursor is where the live feed picks up, so nothing falls between.
  if (chat.newest === null) await loadPage(chat, null);
  await follow(chat);
}

function createChat(id: string, ref: ChatRef, label: string): Chat {
  const view = ($<HTMLTemplateElement>('#chat-view').content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  view.hidden = true;
  const chat: Chat = {
    id,
    ref,
    view,
    messages: new Map(),
    presences: new Map(),
    newest: null,
    older: null,
    lastShown: null,
    markedUpTo: null,
    peerRead: null,
    people: new Map(),
    said: new Map(),
    replyingTo: null,
    typing: new TypingLine($('.typing', view)),
    left: false,
    replay: null,
    stop: () => {},
  };
  setLabel(chat, label);
  chats.set(id, chat);
  $('#chat').append(view);
  $('.older', view).addEventListener('click', () => loadPage(chat, chat.older).catch(report));
  $('.replying button', view).addEventListener('click', () => setReplying(chat, null));
  $('.thread .close', view).addEventListener('click', () => ($('.thread', view).hidden = true));
  $('.rejoin', view).addEventListener('click', () => open(chat.ref).catch(report));
  $('.leave', view).addEventListener('click', () => {
    call(api.mutation(LeaveChatDocument, { channelId: id })).then(() => {
      remember(ref, false);
      markLeft(chat, 'You left this chat.');
    }, report);
  });
  let sending = Promise.resolve();
  const input = $<HTMLInputElement>('.composer input', view);
  const typer = new TypingSender((typing) => call(api.mutation(TypingDocument, { channelId: id, typing })));
  input.addEventListener('input', () => typer.changed(input.value));
  $('.composer', view).addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    input.value = '';
    typer.stop();
    if (!text) return;
    const mentions = mentionsIn(chat, text);
    const replyTo = chat.replyingTo;
    setReplying(chat, null);
    // One at a time, so messages typed quickly arrive in the order they were typed.
    sending = sending
      .then(() => call(api.mutation(SendDocument, { channelId: id, content: { text }, mentions, replyTo })))
      .then(
        () => report(null),
        (err) => (errorCode(err) === 'FORBIDDEN' ? markLeft(chat, errorText(err)) : report(err)),
      );
  });
  return chat;
}

function show(chat: Chat) {
  for (const c of chats.values()) c.view.hidden = c !== chat;
  inbox.setCurrent(chat.id);
  maybeMarkRead(chat);
}

/** "@name" for each person seen in the chat (present, or who wrote): their ids, for sendMessage's mentions. */
function mentionsIn(chat: Chat, text: string): string[] {
  const ids = [...text.matchAll(/@([\p{L}\p{N}_.-]+)/gu)].map((m) => chat.people.get(m[1]!.toLowerCase()));
  return [...new Set(ids.filter((id): id is string => id !== undefined && id !== auth!.userId))];
}

/**
 * The chat on screen is read up to its newest message shown: the mark moves
 * on the server, and every device of the user clears the badge.
 */
function maybeMarkRead(chat: Chat) {
  const entry = inbox.get(chat.id);
  if (!entry || entry.unreadCount === 0 || chat.left || chat.view.hidden || document.visibilityState !== 'visible') return;
  const upTo = chat.lastShown;
  if (upTo === null || upTo === chat.markedUpTo) return;
  chat.markedUpTo = upTo;
  call(api.mutation(MarkReadDocument, { channelId: chat.id, messageId: upTo })).then(
    (d) => inbox.apply(d.markRead),
    (err) => {
      chat.markedUpTo = null;
      report(err);
    },
  );
}

document.addEventListener('visibilitychange', () => {
  for (const chat of chats.values()) if (!chat.view.hidden) maybeMarkRead(chat);
});

/** (Re)starts a chat's feeds, from the newest message seen: on join, on re-join and after every reconnect. */
async function follow(chat: Chat) {
  chat.stop();
  const messages = api.subscription(MessagesDocument, { channelId: chat.id, after: chat.newest }).subscribe(({ data, error }) => {
    if (data) addMessage(chat, data.channelMessage);
    if (error) markLeft(chat, errorCode(error) === 'FORBIDDEN' ? 'You are no longer in this chat.' : errorText(error));
  });
  const presence = api.subscription(PresenceEventsDocument, { channelId: chat.id }).subscribe(({ data }) => {
    if (!data) return;
    chat.replay?.push(data.channelPresence);
    onPresence(chat, data.channelPresence);
  });
  const activity = api.subscription(ActivityDocument, { channelId: chat.id }).subscribe(({ data }) => {
    if (data) onActivity(chat, data.channelActivity);
  });
  chat.stop = () => {
    messages.unsubscribe();
    presence.unsubscribe();
    activity.unsubscribe();
    chat.typing.clear();
  };
  if (chat.ref.type === 'DIRECT') {
    const { channelReads } = await call(api.query(ReadsDocument, { channelId: chat.id }));
    const theirs = channelReads.find((r) => r.userId !== auth!.userId)?.lastReadMessageId;
    if (theirs) peerRead(chat, theirs);
  }
  // Joins and leaves are not replayed after a gap: ask who is here now.
  const replay: Chat['replay'] = (chat.replay = []);
  try {
    const { channelPresences } = await call(api.query(PresencesDocument, { channelId: chat.id }));
    if (chat.left) return;
    setPresences(chat, channelPresences);
    for (const event of replay) onPresence(chat, event);
  } finally {
    if (chat.replay === replay) chat.replay = null;
  }
}

async function loadPage(chat: Chat, after: string | null) {
  const { channelMessages: page } = await call(api.query(HistoryDocument, { channelId: chat.id, first: config.pageSize, after }));
  if (after === null) chat.newest ??= page.cacheableCursor;
  if (after === null && page.edges[0]) chat.lastShown ??= page.edges[0].node.id;
  chat.older = page.pageInfo.endCursor;
  $('.older', chat.view).hidden = !page.pageInfo.hasNextPage;
  const log = $('.log', chat.view);
  const fromBottom = log.scrollHeight - log.scrollTop;
  // Newest first: each one goes in above the one before.
  for (const { node } of page.edges) {
    if (!chat.messages.has(node.id)) $('.messages', chat.view).prepend(render(chat, node));
  }
  log.scrollTop = log.scrollHeight - fromBottom;
  drawSeen(chat);
  maybeMarkRead(chat);
}

function addMessage(chat: Chat, m: MessageFragment) {
  if (m.cursor) {
    chat.newest = m.cursor;
    chat.lastShown = m.id;
  }
  const shown = chat.messages.get(m.id);
  if (m.code === 2) {
    // removed
    shown?.remove();
    chat.messages.delete(m.id);
    // The read mark may only go to a message still there.
    if (chat.lastShown === m.id) chat.lastShown = [...chat.messages.keys()].sort().at(-1) ?? null;
  } else if (m.code === 1) {
    // edited
    shown?.replaceWith(render(chat, m));
  } else if (!shown) {
    const log = $('.log', chat.view);
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    $('.messages', chat.view).append(render(chat, m));
    if (atBottom) log.scrollTop = log.scrollHeight;
    chat.typing.sent(m.username);
  }
  drawSeen(chat);
  maybeMarkRead(chat);
}

const textOf = (m: MessageFragment) => (typeof m.content.text === 'string' ? m.content.text : JSON.stringify(m.content));

function render(chat: Chat, m: MessageFragment): HTMLLIElement {
  const text = textOf(m);
  const time = new Date(m.createTime).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const li = el(
    'li',
    {},
    el('b', { className: 'who' }, m.username),
    ' ',
    el('span', { className: 'text' }, text),
    ' ',
    el('time', { dateTime: m.createTime }, time),
    ' ',
    el('button', { className: 'reply', textContent: 'Reply', onclick: () => setReplying(chat, m.id) }),
    el('button', { className: 'replies', onclick: () => openThread(chat, m.id).catch(report) }),
  );
  chat.said.set(m.id, `${m.username}: ${text}`);
  if (m.replyTo) li.prepend(el('span', { className: 'quote' }, `↪ ${chat.said.get(m.replyTo) ?? 'an earlier message'}`));
  setReplyCount(li, m.replyCount);
  li.dataset.id = m.id;
  chat.people.set(m.username.toLowerCase(), m.senderId);
  const mine = m.senderId === auth!.userId;
  li.classList.toggle('mine', mine);
  li.classList.toggle('mentions-me', m.mentions.includes(auth!.userId));
  if (mine && chat.ref.type === 'DIRECT') li.append(' ', el('span', { className: 'tick' }, '✓ seen'));
  chat.messages.set(m.id, li);
  return li;
}

// ---- replies

/** Sets (or with null, clears) the message the composer replies to. */
function setReplying(chat: Chat, messageId: string | null) {
  chat.replyingTo = messageId;
  const bar = $('.replying', chat.view);
  bar.hidden = messageId === null;
  $('span', bar).textContent = messageId === null ? '' : `Replying to ${chat.said.get(messageId) ?? 'a message'}`;
  if (messageId !== null) $<HTMLInputElement>('.composer input', chat.view).focus();
}

function setReplyCount(li: HTMLLIElement, n: number) {
  const button = $<HTMLButtonElement>('.replies', li);
  button.hidden = n === 0;
  button.textContent = n === 1 ? '1 reply' : `${n} replies`;
}

/** The thread of one message, oldest first, beside the chat. */
async function openThread(chat: Chat, messageId: string) {
  const { messageReplies } = await call(api.query(RepliesDocument, { channelId: chat.id, messageId }));
  const panel = $('.thread', chat.view);
  $('h3', panel).textContent = `Thread: ${chat.said.get(messageId) ?? 'a message'}`;
  $('ul', panel).replaceChildren(
    ...messageReplies.edges.map(({ node }) =>
      el('li', {}, el('b', { className: 'who' }, node.username), ' ', el('span', { className: 'text' }, textOf(node))),
    ),
  );
  panel.hidden = false;
}

// ---- typing and read receipts

function onActivity(chat: Chat, event: ActivitySubscription['channelActivity']) {
  if (event.__typename === 'ThreadEvent') {
    const li = chat.messages.get(event.messageId);
    if (li) setReplyCount(li, event.replyCount);
  }
  // This user's own other devices are not "someone typing".
  if (event.__typename === 'TypingEvent' && event.userId !== auth!.userId) chat.typing.update(event);
  if (event.__typename === 'ReadEvent' && event.userId !== auth!.userId) peerRead(chat, event.lastReadMessageId);
}

function peerRead(chat: Chat, messageId: string) {
  if (chat.peerRead === null || messageId > chat.peerRead) chat.peerRead = messageId;
  drawSeen(chat);
}

/** "✓ seen" on my messages up to the other user's mark. Message ids are UUIDv7: their order is the order they were sent in. */
function drawSeen(chat: Chat) {
  const upTo = chat.peerRead;
  if (upTo === null) return;
  for (const [id, li] of chat.messages) li.classList.toggle('seen', id <= upTo);
}

function markLeft(chat: Chat, why: string) {
  chat.left = true;
  chat.stop();
  chat.presences.clear();
  drawPresences(chat);
  $('.notice span', chat.view).textContent = why;
  $('.notice', chat.view).hidden = false;
  $('.leave', chat.view).hidden = true;
  $<HTMLInputElement>('.composer input', chat.view).disabled = true;
}

// ---- presence

function setPresences(chat: Chat, list: PresenceFragment[]) {
  chat.presences = new Map(list.map((p) => [p.sessionId, p]));
  for (const p of list) chat.people.set(p.username.toLowerCase(), p.userId);
  drawPresences(chat);
}

function onPresence(chat: Chat, event: PresenceEventsSubscription['channelPresence']) {
  // A session is told of its own presence only when it ends: kicked, expired, or left elsewhere.
  if (event.leaves.some((p) => p.sessionId === auth!.sessionId)) return markLeft(chat, 'You left this chat.');
  for (const p of event.leaves) chat.presences.delete(p.sessionId);
  for (const p of event.joins) {
    chat.presences.set(p.sessionId, p);
    chat.people.set(p.username.toLowerCase(), p.userId);
  }
  drawPresences(chat);
}

function drawPresences(chat: Chat) {
  const people = [...chat.presences.values()].sort((a, b) => a.username.localeCompare(b.username));
  $('.presences', chat.view).replaceChildren(
    ...people.map((p) => el('li', {}, p.sessionId === auth!.sessionId ? `${p.username} (you)` : p.username)),
  );
}

// ---- joining

function onNotification(n: NotificationsSubscription['notification']) {
  const from = n.content.userId;
  if (n.code !== -1 || typeof from !== 'string') return; // only direct chat invites
  const li = el('li', {}, `${n.subject} `);
  li.append(el('button', { textContent: 'Open', onclick: () => (li.remove(), open({ target: from, type: 'DIRECT' }).catch(report)) }));
  $('#invites').append(li);
}

for (const [form, field, type] of [
  ['#join-room', 'room', 'ROOM'],
  ['#join-direct', 'user', 'DIRECT'],
] as const) {
  $(form).addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>(`input[name=${field}]`, $(form));
    open({ target: input.value.trim(), type }).then(() => (input.value = ''), report);
  });
}

start().catch((e) => {
  $('#signin').hidden = false;
  $('#signin .alert').textContent = `Could not reach Parley at ${config.url}: ${errorText(e)}`;
});
