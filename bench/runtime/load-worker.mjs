// A closed-loop HTTP load generator in a worker thread, so the servers under test keep the main
// thread's event loop to themselves: autocannon (the load generator Fastify and Platformatic
// benchmark with), whose client parses responses with a fraction of the CPU of node:http's
// (about 50 µs per request here against 85-95), which on two cores is CPU the servers and
// PostgreSQL get instead. Each of `connections` keep-alive connections sends one request, waits
// for the whole response, records the latency and sends the next, until the time is up.
// Requests are taken in turn from one list shared by all connections (paths, bodies); `{n}` in a
// body is replaced by a counter unique within the run, for creates that must not collide. A
// request with `etag` sends it as If-Match the first time, then the ETag its path last answered
// with (kept across runs), so version-checked updates keep matching; a path is never sent twice
// at once. (This replaced a node:http client loop, whose CPU compressed every ratio toward 1.)
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';

const etags = new Map();

parentPort.on('message', ({ origin, connections, durationMs, requests, runId }) => {
  const latencies = [];
  let failures = 0;
  let next = 0;
  let counter = 0;
  // Paths with an If-Match request in flight: the next request for one of them would carry the
  // version its answer is about to replace, so it waits its turn (skipped for now).
  const busy = new Set();
  const started = process.hrtime.bigint();
  const instance = autocannon(
    {
      url: origin,
      connections,
      duration: durationMs / 1000,
      requests: [
        {
          // called for every request: the next one of the shared list
          setupRequest: (request, context) => {
            let template = requests[next++ % requests.length];
            for (
              let tries = 0;
              template.etag && busy.has(template.path) && tries < requests.length;
              tries += 1
            ) {
              template = requests[next++ % requests.length];
            }
            const headers = template.body ? { 'content-type': 'application/json' } : {};
            if (template.etag) {
              const key = `${origin}${template.path}`;
              headers['if-match'] = etags.get(key) ?? template.etag;
              busy.add(template.path);
              context.etagKey = key;
              context.path = template.path;
            }
            const body = template.body?.includes('{n}')
              ? template.body.replaceAll('{n}', `${runId}-${counter++}`)
              : template.body;
            return { ...request, method: template.method, path: template.path, headers, body };
          },
          onResponse: (_status, _body, context, headers) => {
            if (!context.etagKey) return;
            if (headers.etag) etags.set(context.etagKey, headers.etag);
            busy.delete(context.path);
          },
        },
      ],
    },
    async () => {
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      // autocannon stops at the deadline without waiting for the requests in flight, which the
      // server still runs: read the version each of those paths has now, once they are done.
      if (busy.size > 0) {
        await new Promise((done) => setTimeout(done, 200));
        await Promise.all(
          [...busy].map(async (path) => {
            const response = await fetch(`${origin}${path}`);
            await response.arrayBuffer();
            const etag = response.headers.get('etag');
            if (etag) etags.set(`${origin}${path}`, etag);
          }),
        );
      }
      parentPort.postMessage({ latencies, failures, elapsedMs });
    },
  );
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    if (status < 200 || status >= 300) failures += 1;
  });
  instance.on('reqError', () => {
    failures += 1;
  });
});
