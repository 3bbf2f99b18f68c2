/**
 * The request histogram is exposed exactly as prom-client's Histogram exposes the same
 * observations, so dashboards and alerts read it the same way.
 */
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS } from '../../../src/runtime/observability/metrics-plugin.js';
import { asMetric, RequestHistogram } from '../../../src/runtime/observability/request-histogram.js';

const LABEL_SETS = [
  { method: 'GET', route: '/api/v1/products', status: '200' },
  { method: 'GET', route: '/api/v1/products/:id', status: '404' },
  { method: 'POST', route: '/api/v1/products', status: '201' },
];

function pair() {
  const name = 'http_request_duration_seconds';
  const help = 'Latency.';
  const reference = new Registry();
  const histogram = new Histogram({
    name,
    help,
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [reference],
  });
  const ours = new Registry();
  const fast = new RequestHistogram({ name, help, buckets: LATENCY_BUCKETS });
  ours.registerMetric(asMetric(fast));
  return { reference, histogram, ours, fast };
}

describe('RequestHistogram', () => {
  it('exposes the same text as prom-client for any observations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            set: fc.integer({ min: 0, max: LABEL_SETS.length - 1 }),
            // On bucket bounds, between them, and above the largest.
            value: fc.oneof(fc.constantFrom(...LATENCY_BUCKETS), fc.double({ min: 0, max: 20, noNaN: true })),
          }),
          { maxLength: 200 },
        ),
        async (observations) => {
          const { reference, histogram, ours, fast } = pair();
          // Series in the same order on both sides (the exposition lists them as created).
          const series = LABEL_SETS.map((labels) => {
            histogram.zero(labels);
            return fast.series(labels);
          });
          for (const { set, value } of observations) {
            histogram.observe(LABEL_SETS[set]!, value);
            series[set]!.observe(value);
          }
          expect(await ours.metrics()).toBe(await reference.metrics());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('zeroes on a registry reset and keeps counting through the series handed out', async () => {
    const { ours, fast } = pair();
    const series = fast.series(LABEL_SETS[0]!);
    series.observe(0.02);
    ours.resetMetrics();
    series.observe(3);
    const text = await ours.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/products",status="200"} 1',
    );
    expect(text).toContain(
      'http_request_duration_seconds_sum{method="GET",route="/api/v1/products",status="200"} 3',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="2.5",method="GET",route="/api/v1/products",status="200"} 0',
    );
  });
});
