import { describe, expect, it } from 'vitest';
import { backends } from '../../helpers/backends.js';
import { subscribe, uniqueName, suiteServer, errorCode } from '../../helpers/server.js';

// PostgreSQL refuses NUL characters and unpaired surrogates in text; every
// argument that could reach it answers BAD_USER_INPUT, not an internal error.
describe.each(backends())('strings PostgreSQL cannot store ($name)', (backend) => {
  const server = suiteServer(backend);

  it('are refused in variables and literals of any operation, over HTTP and WebSocket', async () => {
    const ada = await server.signIn();
    const cases: [string, Record<string, unknown>][] = [
      [`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: 'x\u0000' }],
      [`mutation($u: [ID!]!) { blockUsers(userIds: $u) }`, { u: ['x\u0000'] }],
      [`mutation($i: [ID!]!) { markNotificationsRead(ids: $i) }`, { i: ['x\u0000'] }],
      [`mutation($t: String!) { joinChat(target: $t, type: DIRECT) { id } }`, { t: 'x\u0000' }],
      [`mutation($d: String) { createGroup(name: "${uniqueName('g')}", description: $d) { id } }`, { d: 'x\u0000' }],
      [
        `mutation($c: ID!, $m: ID!) { updateMessage(channelId: $c, messageId: $m, content: {a: 1}) { code } }`,
        { c: 'room:x', m: 'x\u0000' },
      ],
      [`mutation { joinChat(target: "a\\u0000b", type: ROOM) { id } }`, {}],
      [`mutation($d: String) { createGroup(name: "${uniqueName('g')}", description: $d) { id } }`, { d: '\ud800' }],
    ];
    for (const [query, variables] of cases) {
      const r = await server.gql(query, variables, ada.token);
      expect(errorCode(r), query).toBe('BAD_USER_INPUT');
    }
    const refused = subscribe(server.ws(ada), `subscription($c: ID) { channelMessage(channelId: $c) { id } }`, { c: 'room:\u0000' });
    expect((await refused.error())[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
