// The chats list: the user's inbox as the server keeps it (one read mark per
// channel, shared by every device), newest activity first, with badges.
import type { EntryFragment } from './generated/operations.js';

export type Entry = EntryFragment;

export class InboxList {
  private readonly entries = new Map<string, Entry>();
  /** Channels an update arrived for while the first page was loading: that page's copy is older. */
  private updatedWhileLoading: Set<string> | null = new Set();
  private current: string | null = null;

  constructor(
    private readonly list: HTMLElement,
    /** What a click on an entry opens. */
    private readonly select: (entry: Entry) => void,
    /** The label of a channel, as the chat view's heading shows it. */
    private readonly labelOf: (entry: Entry) => string,
  ) {}

  /** The first page, from the inbox query; updates that came first win. */
  load(entries: readonly Entry[]) {
    for (const e of entries) if (!this.updatedWhileLoading?.has(e.channelId)) this.entries.set(e.channelId, e);
    this.updatedWhileLoading = null;
    this.draw();
  }

  /** An entry from inboxUpdate or markRead. */
  apply(entry: Entry) {
    this.updatedWhileLoading?.add(entry.channelId);
    if (entry.removed || entry.hidden) this.entries.delete(entry.channelId);
    else this.entries.set(entry.channelId, entry);
    this.draw();
  }

  get(channelId: string): Entry | undefined {
    return this.entries.get(channelId);
  }

  /** Marks the open chat's entry. */
  setCurrent(channelId: string | null) {
    this.current = channelId;
    this.draw();
  }

  private draw() {
    const sorted = [...this.entries.values()].sort(
      (a, b) => Date.parse(b.lastActivityTime) - Date.parse(a.lastActivityTime) || b.channelId.localeCompare(a.channelId),
    );
    this.list.replaceChildren(...sorted.map((e) => this.item(e)));
  }

  private item(e: Entry): HTMLLIElement {
    const button = document.createElement('button');
    button.className = 'entry';
    button.toggleAttribute('aria-current', e.channelId === this.current);
    const title = Object.assign(document.createElement('span'), { className: 'title', textContent: this.labelOf(e) });
    button.append(title);
    if (e.mentionCount > 0) {
      button.append(
        Object.assign(document.createElement('span'), { className: 'mentioned', textContent: '@', title: 'You were mentioned' }),
      );
    }
    if (e.unreadCount > 0) {
      const badge = Object.assign(document.createElement('span'), { className: 'badge', textContent: String(e.unreadCount) });
      badge.setAttribute('aria-label', `${e.unreadCount} unread`);
      button.append(badge);
    }
    const last = e.lastMessage;
    if (last) {
      const text = typeof last.content.text === 'string' ? last.content.text : JSON.stringify(last.content);
      button.append(Object.assign(document.createElement('span'), { className: 'preview', textContent: `${last.username}: ${text}` }));
    }
    button.addEventListener('click', () => this.select(e));
    const li = document.createElement('li');
    li.dataset.channel = e.channelId;
    li.append(button);
    return li;
  }
}
