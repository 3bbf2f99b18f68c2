import { defineRule } from '../rule.js';

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|\{[^}]+\})(:\d+)?$/i;

export default defineRule({
  id: 'architect/https-servers',
  severity: 'warn',
  group: 'security',
  summary: 'Servers are reached over HTTPS (local development URLs excepted)',
  meaning:
    'Over plain HTTP every token, cookie and body can be read and changed on the way. Declaring an `http://` server invites clients to use it. Loopback addresses (`localhost`, `127.0.0.1`) are exempt: they never leave the machine.',
  help: 'Use `https://` in the server URL.',
  check({ api, report }) {
    if (api.version === '2.0') {
      const schemes = Array.isArray(api.data.schemes) ? api.data.schemes : [];
      const host = typeof api.data.host === 'string' ? api.data.host : '';
      if (schemes.includes('http') && !LOCAL.test(host))
        report({ path: ['schemes'], message: `Scheme http is offered for ${host || 'the API'}` });
      return;
    }
    for (const server of api.serverUrls) {
      const match = /^http:\/\/([^/]+)/i.exec(server.value);
      if (!match || LOCAL.test(match[1] as string)) continue;
      report({ path: server.path, message: `Server ${server.value} is plain HTTP` });
    }
  },
});
