// "… is typing": what this page says about its own typing, and what it shows of others'.

/** The server ends a typing state 6 s after the last renewal; renewing every 3 s keeps it on while keys are pressed. */
const RENEW_MS = 3_000;
/**
 * The server sends only the start of a typing state and its end (said so, 6 s
 * without a renewal, or the typist gone), so a state shows until its end
 * arrives; this is only a bound for an end lost with a dropped connection.
 */
const SHOW_MS = 60_000;

/** Announces this session's typing in one chat: on the first key, renewed while typing, off when sent or cleared. */
export class TypingSender {
  private announcedAt = 0;

  constructor(private readonly send: (typing: boolean) => Promise<unknown>) {}

  /** Call on every change of the composer's text. */
  changed(text: string) {
    if (!text.trim()) return this.stop();
    if (Date.now() - this.announcedAt < RENEW_MS) return;
    this.announcedAt = Date.now();
    this.send(true).catch(() => {});
  }

  stop() {
    if (this.announcedAt === 0) return;
    this.announcedAt = 0;
    this.send(false).catch(() => {});
  }
}

/** Who is typing in one chat, by session, drawn as one line. */
export class TypingLine {
  private readonly typing = new Map<string, { username: string; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly line: HTMLElement) {}

  update(event: { sessionId: string; username: string; typing: boolean }) {
    clearTimeout(this.typing.get(event.sessionId)?.timer);
    if (event.typing) {
      const timer = setTimeout(() => this.update({ ...event, typing: false }), SHOW_MS);
      this.typing.set(event.sessionId, { username: event.username, timer });
    } else {
      this.typing.delete(event.sessionId);
    }
    this.draw();
  }

  /** A message from that user ends their typing. */
  sent(username: string) {
    for (const [sessionId, t] of this.typing) if (t.username === username) this.update({ sessionId, username, typing: false });
  }

  clear() {
    for (const t of this.typing.values()) clearTimeout(t.timer);
    this.typing.clear();
    this.draw();
  }

  private draw() {
    const names = [...new Set([...this.typing.values()].map((t) => t.username))].sort();
    this.line.textContent =
      names.length === 0
        ? ''
        : names.length === 1
          ? `${names[0]} is typing…`
          : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
  }
}
