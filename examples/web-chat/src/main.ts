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
  HistoryDocument,
  JoinChatDocument,
  LeaveChatDocument,
  MeDocument,
  MessagesDocument,
  NotificationsDocument,
  PresenceEventsDocument,
  PresencesDocument,
  SendDocument,
  SignInDocument,
  SignOutDocument,
  type ChannelType,
  type JoinChatMutation,
  type MessageFragment,
  type NotificationsSubscription,
  type PresenceEventsSubscription,
  type PresenceFragment,
} from './generated/operations.js';

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
  tab: HTMLButtonElement;
  /** Shown messages by id: a message seen twice (history and live) is shown once, and edits find theirs. */
  messages: Map<string, HTMLLIElement>;
  presences: Map<string, PresenceFragment>;
  /** Cursor of the newest stored message seen: a new subscription resumes after it. */
  newest: string | null;
  /** Where "load older" continues. */
  older: string | null;
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
  for (const ref of saved.get<ChatRef[]>('chats') ?? []) await open(ref).catch(report);
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

function labelOf(c: JoinChatMutation['joinChat']) {
  if (c.roomName !== null) return `# ${c.roomName}`;
  const peer = c.userIdOne === auth!.userId ? c.userIdTwo : c.userIdOne;
  return `@ ${c.presences.find((p) => p.userId === peer)?.username ?? peer}`;
}

async function open(ref: ChatRef) {
  const { joinChat: c } = await call(api.mutation(JoinChatDocument, ref));
  report(null);
  remember(ref, true);
  const chat = chats.get(c.id) ?? createChat(c.id, ref, labelOf(c));
  chat.left = false;
  $('.notice', chat.view).hidden = true;
  $('.leave', chat.view).hidden = false;
  $<HTMLInputElement>('.composer input', chat.view).disabled = false;
  setPresences(chat, [c.self, ...c.presences]);
  show(chat);
  // The first page of history comes first: its cacheableCursor is where the live feed picks up, so nothing falls between.
  if (chat.newest === null) await loadPage(chat, null);
  await follow(chat);
}

function createChat(id: string, ref: ChatRef, label: string): Chat {
  const view = ($<HTMLTemplateElement>('#chat-view').content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  $('h2', view).textContent = label;
  view.setAttribute('aria-label', label);
  const tab = el('button', { textContent: label });
  const chat: Chat = {
    id,
    ref,
    view,
    tab,
    messages: new Map(),
    presences: new Map(),
    newest: null,
    older: null,
    left: false,
    replay: null,
    stop: () => {},
  };
  chats.set(id, chat);
  tab.addEventListener('click', () => show(chat));
  $('#chats').append(el('li', {}, tab));
  $('#chat').append(view);
  $('.older', view).addEventListener('click', () => loadPage(chat, chat.older).catch(report));
  $('.rejoin', view).addEventListener('click', () => open(chat.ref).catch(report));
  $('.leave', view).addEventListener('click', () => {
    call(api.mutation(LeaveChatDocument, { channelId: id })).then(() => {
      remember(ref, false);
      markLeft(chat, 'You left this chat.');
    }, report);
  });
  let sending = Promise.resolve();
  $('.composer', view).addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('.composer input', view);
    const text = input.value.trim();
    input.value = '';
    if (!text) return;
    // One at a time, so messages typed quickly arrive in the order they were typed.
    sending = sending
      .then(() => call(api.mutation(SendDocument, { channelId: id, content: { text } })))
      .then(
        () => report(null),
        (err) => (errorCode(err) === 'FORBIDDEN' ? markLeft(chat, errorText(err)) : report(err)),
      );
  });
  return chat;
}

function show(chat: Chat) {
  for (const c of chats.values()) {
    c.view.hidden = c !== chat;
    c.tab.toggleAttribute('aria-current', c === chat);
  }
}

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
  chat.stop = () => {
    messages.unsubscribe();
    presence.unsubscribe();
  };
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
  chat.older = page.pageInfo.endCursor;
  $('.older', chat.view).hidden = !page.pageInfo.hasNextPage;
  const log = $('.log', chat.view);
  const fromBottom = log.scrollHeight - log.scrollTop;
  // Newest first: each one goes in above the one before.
  for (const { node } of page.edges) {
    if (!chat.messages.has(node.id)) $('.messages', chat.view).prepend(render(chat, node));
  }
  log.scrollTop = log.scrollHeight - fromBottom;
}

function addMessage(chat: Chat, m: MessageFragment) {
  if (m.cursor) chat.newest = m.cursor;
  const shown = chat.messages.get(m.id);
  if (m.code === 2) {
    // removed
    shown?.remove();
    chat.messages.delete(m.id);
  } else if (m.code === 1) {
    // edited
    shown?.replaceWith(render(chat, m));
  } else if (!shown) {
    const log = $('.log', chat.view);
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    $('.messages', chat.view).append(render(chat, m));
    if (atBottom) log.scrollTop = log.scrollHeight;
  }
}

function render(chat: Chat, m: MessageFragment): HTMLLIElement {
  const text = typeof m.content.text === 'string' ? m.content.text : JSON.stringify(m.content);
  const time = new Date(m.createTime).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const li = el(
    'li',
    {},
    el('b', { className: 'who' }, m.username),
    ' ',
    el('span', { className: 'text' }, text),
    ' ',
    el('time', { dateTime: m.createTime }, time),
  );
  li.classList.toggle('mine', m.senderId === auth!.userId);
  chat.messages.set(m.id, li);
  return li;
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
  drawPresences(chat);
}

function onPresence(chat: Chat, event: PresenceEventsSubscription['channelPresence']) {
  // A session is told of its own presence only when it ends: kicked, expired, or left elsewhere.
  if (event.leaves.some((p) => p.sessionId === auth!.sessionId)) return markLeft(chat, 'You left this chat.');
  for (const p of event.leaves) chat.presences.delete(p.sessionId);
  for (const p of event.joins) chat.presences.set(p.sessionId, p);
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
