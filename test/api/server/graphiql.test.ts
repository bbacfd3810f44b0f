import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { startServer, until, type TestServer } from '../../helpers/server.js';

/**
 * The README's quick start, steps 1 to 4, done in GraphiQL in a real browser:
 * ada signs in, joins and runs Live in one window; bob, in a second window,
 * signs in, joins and sends; ada's Live shows the message.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// CI sets PARLEY_E2E=1 and installs Chromium: there a missing browser is a failure, not a skip.
const required = process.env.PARLEY_E2E === '1';
if (!haveChromium && !required) {
  console.warn(
    `\n  SKIPPED the GraphiQL browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).\n  With PARLEY_E2E=1 this is a failure instead.\n`,
  );
}

const WAIT = { timeout: 30_000 };

/** The text of one of the page's Monaco models (operation, variables, request headers, response), by the end of its URI. */
const modelText = (page: Page, uriEnd: string) =>
  page.evaluate(
    // GraphiQL 5 keeps its Monaco instance on globalThis.__MONACO.
    (end) =>
      ((globalThis as any).__MONACO?.editor.getModels() as any[] | undefined)?.find((m) => String(m.uri).endsWith(end))?.getValue() as
        string | undefined,
    uriEnd,
  );
const editor = (page: Page, uriEnd: string) => page.locator(`.monaco-editor[data-uri$="${uriEnd}"]`);
const OPERATION = '-operation.graphql';
const HEADERS = '-request-headers.json';
const RESPONSE = '-response.json';
const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The result pane as JSON, or null while it is empty or not JSON yet. */
async function result(page: Page): Promise<any> {
  const text = await modelText(page, RESPONSE);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Waits until the result pane holds a result with data for `field`, and returns that data. */
async function dataOf(page: Page, field: string): Promise<any> {
  await expect
    .poll(
      async () => {
        const r = await result(page);
        return r?.data?.[field] != null || r?.errors != null;
      },
      { ...WAIT, message: `a result of ${field}` },
    )
    .toBe(true);
  const r = await result(page);
  expect(r.errors, `${field} failed`).toBeUndefined();
  return r.data[field];
}

/** Replaces an editor's whole text as a person would paste it: click in, select all, insert. */
async function replaceText(page: Page, uriEnd: string, text: string) {
  await editor(page, uriEnd).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  // Monaco may re-indent what is inserted; anything more (auto-closed brackets or quotes) would be a mistake.
  await expect.poll(async () => squash(await modelText(page, uriEnd)), WAIT).toBe(squash(text));
}

/** Runs one of the editor's operations: with several in the editor, the run button offers a menu of their names. */
async function run(page: Page, operation: string) {
  await page.locator('button.graphiql-execute-button').click();
  await page.getByRole('menuitem', { name: operation, exact: true }).click(WAIT);
}

/** Puts `{ "Authorization": "Bearer <token>" }` in the Headers tab. */
async function authorize(page: Page, token: string) {
  await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
  await editor(page, HEADERS).waitFor({ ...WAIT, state: 'visible' });
  await replaceText(page, HEADERS, `{ "Authorization": "Bearer ${token}" }`);
}

describe.skipIf(!haveChromium && !required)('the README quick start in GraphiQL, in a real browser', () => {
  let parley: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`PARLEY_E2E=1 but there is no Chromium at ${CHROMIUM}: apt-get install chromium`);
    parley = await startServer(backends()[0]!);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await parley?.stop();
  });

  /** A browser window of its own (its own storage, as another profile or a private window) with GraphiQL open. */
  async function openGraphiQL(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(parley.url);
    await page.locator('button.graphiql-execute-button').waitFor(WAIT);
    await editor(page, OPERATION).waitFor(WAIT);
    // "GraphiQL opens with the operations below ready to run."
    await expect
      .poll(() => modelText(page, OPERATION), WAIT)
      .toMatch(/mutation SignIn[\s\S]*mutation Join[\s\S]*mutation Send[\s\S]*subscription Live[\s\S]*query History/);
    return page;
  }

  it(
    'ada listens with Live in one window; bob signs in, joins and sends in a second; the message shows in the first',
    { timeout: 240_000 },
    async () => {
      // Window A. 1. Sign in, and the token into the Headers tab.
      const a = await openGraphiQL('ada');
      await run(a, 'SignIn');
      const ada = await dataOf(a, 'authenticateDevice');
      expect(ada.user.username).toBe('ada');
      await authorize(a, ada.token);
      // 2. Join the lobby.
      await run(a, 'Join');
      expect(await dataOf(a, 'joinChat')).toMatchObject({ id: 'room:lobby' });
      // 3. Listen: Live runs (the run button turns into a stop button) and the server has its feed.
      await run(a, 'Live');
      await a.getByRole('button', { name: /^Stop/ }).waitFor(WAIT);
      await until(() => parley.app.deps.feeds.count(ada.sessionId) >= 1, WAIT.timeout, "ada's Live subscription on the server");

      // Window B. 4. Sign in as bob: in SignIn, deviceId "graphiql-device-2" and username "bob".
      const b = await openGraphiQL('bob');
      const query = (await modelText(b, OPERATION))!;
      const asBob = query
        .replace('deviceId: "graphiql-device-1"', 'deviceId: "graphiql-device-2"')
        .replace('username: "ada"', 'username: "bob"');
      expect(asBob, 'the README edit applies to the default SignIn').not.toBe(query);
      await replaceText(b, OPERATION, asBob);
      await run(b, 'SignIn');
      const bob = await dataOf(b, 'authenticateDevice');
      expect(bob.user.username).toBe('bob');
      expect(bob.user.id).not.toBe(ada.user.id);
      await authorize(b, bob.token);
      await run(b, 'Join');
      const joined = await dataOf(b, 'joinChat');
      expect(joined.id).toBe('room:lobby');
      expect(joined.presences).toContainEqual({ username: 'ada' });
      await run(b, 'Send');
      // "the mutation returns its acknowledgement"
      const ack = await dataOf(b, 'sendMessage');
      expect(ack.messageId).toEqual(expect.any(String));

      // "The message appears in the first window's Live", which is still running.
      const live = await dataOf(a, 'channelMessage');
      expect(live).toMatchObject({ username: 'bob', content: { text: 'hello' }, createTime: ack.createTime });
      await expect.poll(() => a.getByRole('button', { name: /^Stop/ }).count(), WAIT).toBe(1);
      expect(parley.app.deps.feeds.count(ada.sessionId)).toBe(1);
      expect(pageErrors).toEqual([]);
    },
  );
});
