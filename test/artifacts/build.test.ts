import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/port.js';
import { endpoint, joinRoom, Q, send, until } from '../helpers/server.js';
import { ROOT } from '../helpers/root.js';

describe('the production build', () => {
  let stop = async () => {};
  afterAll(() => stop());

  it('compiles to JavaScript that plain node runs: sign in, join, send, read history, stop cleanly', { timeout: 240_000 }, async () => {
    const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    expect(existsSync(`${ROOT}dist/main.js`)).toBe(true);

    const port = await freePort();
    // No tsx, no loader: what a production start runs.
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: 'memory://',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    stop = async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
      `the built server to start:\n${output}`,
    );

    const api = endpoint(`http://127.0.0.1:${port}/graphql`);
    const ada = await api.signIn();
    const room = await joinRoom(api, ada, 'built');
    const ack = await send(api, ada, room, { text: 'from the build' });
    const history = await api.gql(Q.history, { c: room, first: 10 }, ada.token);
    expect(history.data.channelMessages.edges.map((e: any) => e.node.id)).toEqual([ack.messageId]);
    await api.closeClients();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
