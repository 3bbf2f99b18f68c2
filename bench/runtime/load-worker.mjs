// A closed-loop HTTP load generator in a worker thread, so the servers under test keep the main
// thread's event loop to themselves. Each of `connections` loops sends one request, waits for
// the whole response, records the latency and sends the next, over keep-alive sockets, until
// the time is up. Requests cycle through the given list (paths, bodies); `{n}` in a body is
// replaced by a counter unique within the run, for creates that must not collide. A request with
// `etag` sends it as If-Match the first time, then the ETag its path last answered with (kept
// across runs), so version-checked updates keep matching; a path is never sent twice at once.
import http from 'node:http';
import { parentPort } from 'node:worker_threads';

const etags = new Map();

function send(agent, origin, request) {
  return new Promise((resolve) => {
    const url = new URL(request.path, origin);
    const body = request.body;
    const key = request.etag ? `${origin}${request.path}` : undefined;
    const headers = body
      ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      : {};
    if (key) headers['if-match'] = etags.get(key) ?? request.etag;
    const started = process.hrtime.bigint();
    const outgoing = http.request(
      url,
      {
        method: request.method,
        agent,
        headers,
      },
      (response) => {
        if (key && response.headers.etag) etags.set(key, response.headers.etag);
        response.on('data', () => {});
        response.on('end', () =>
          resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
        );
      },
    );
    outgoing.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    if (body) outgoing.write(body);
    outgoing.end();
  });
}

parentPort.on('message', async ({ origin, connections, durationMs, requests, runId }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let failures = 0;
  let next = 0;
  let counter = 0;
  const deadline = Date.now() + durationMs;
  const started = process.hrtime.bigint();
  // Paths with an If-Match request in flight: the next request for one of them would carry the
  // version its answer is about to replace, so it waits its turn (skipped for now).
  const busy = new Set();
  async function loop() {
    while (Date.now() < deadline) {
      let template = requests[next++ % requests.length];
      for (let tries = 0; template.etag && busy.has(template.path) && tries < requests.length; tries += 1) {
        template = requests[next++ % requests.length];
      }
      const request = template.body?.includes('{n}')
        ? { ...template, body: template.body.replaceAll('{n}', `${runId}-${counter++}`) }
        : template;
      if (template.etag) busy.add(template.path);
      const { status, ms } = await send(agent, origin, request);
      busy.delete(template.path);
      if (status < 200 || status >= 300) failures += 1;
      latencies.push(ms);
    }
  }
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  agent.destroy();
  parentPort.postMessage({ latencies, failures, elapsedMs });
});
