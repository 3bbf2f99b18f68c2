import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const ORDERS = readFileSync(join(import.meta.dirname, 'fixtures/api/orders.yaml'), 'utf8');

async function run(args: string[], isTty = false) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTty,
  };
  const code = await main(['review', ...args], io);
  return { code, stdout, stderr };
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'architect-review-cli-'));
  writeFileSync(join(dir, 'orders.yaml'), ORDERS);
  return dir;
}

describe('architect review', () => {
  it('exits 0 when nothing reaches --fail-on (error by default), 1 when something does', async () => {
    const dir = workspace();
    const plain = await run([join(dir, 'orders.yaml')]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('architect/path-plural-collections');
    expect(plain.stdout).toMatch(/\d+ findings \(0 errors, \d+ warnings, \d+ info\)/);
    const strict = await run([join(dir, 'orders.yaml'), '--fail-on', 'warn']);
    expect(strict.code).toBe(1);
  });

  it('shows progress per input on a terminal, rewritten on one line and cleared at the end', async () => {
    const dir = workspace();
    writeFileSync(join(dir, '0001_add_index.sql'), 'CREATE INDEX orders_status ON orders (status);\n');
    const paths = [join(dir, 'orders.yaml'), join(dir, '0001_add_index.sql')];
    const tty = await run([...paths, '--format', 'json'], true);
    expect(tty.stderr).toContain(`\r\u001b[Kreviewing [1/2] `);
    expect(tty.stderr).toContain(`\r\u001b[Kreviewing [2/2] `);
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(JSON.parse(tty.stdout).findings.length).toBeGreaterThan(0);
    // Piped output (CI, files) gets no progress noise.
    const piped = await run([...paths, '--format', 'json']);
    expect(piped.stderr).toBe('');
  });

  it('prints JSON and SARIF, to stdout or to a file', async () => {
    const dir = workspace();
    const json = await run([join(dir, 'orders.yaml'), '--format', 'json']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.findings.length).toBe(parsed.summary.total);
    expect(parsed.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const out = join(dir, 'report.sarif');
    const sarif = await run([join(dir, 'orders.yaml'), '--format', 'sarif', '--output', out]);
    expect(sarif.stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.version).toBe('2.1.0');
    const rule = log.runs[0].tool.driver.rules.find(
      (item: { id: string }) => item.id === 'architect/path-plural-collections',
    );
    expect(rule.helpUri).toMatch(/docs\/rules\/architect-path-plural-collections\.md$/);
    const github = await run([join(dir, 'orders.yaml'), '--format', 'github']);
    expect(github.stdout).toMatch(/^::warning file=.*orders\.yaml,line=\d+,col=\d+/m);
  });

  it('exits 2 on usage errors, unreadable or unknown inputs, parse errors and bad rules files', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.1.0\npaths: [unclosed\n');
    writeFileSync(join(dir, 'rules.yaml'), 'rules: {architect/nope: off}\n');
    expect((await run([join(dir, 'orders.yaml'), '--format', 'xml'])).code).toBe(2);
    expect((await run([join(dir, 'orders.yaml'), '--fail-on', 'never'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    const missing = await run([join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('REVIEW_INPUT_NOT_FOUND');
    const broken = await run([join(dir, 'broken.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/REVIEW_PARSE: .*broken\.yaml: cannot parse: \d+:\d+ /);
    const rules = await run([join(dir, 'orders.yaml'), '--rules', join(dir, 'rules.yaml')]);
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('unknown rule id architect/nope');
  });

  it('a written baseline makes the next run pass until something new appears', async () => {
    const dir = workspace();
    const baseline = join(dir, 'baseline.json');
    const written = await run([join(dir, 'orders.yaml'), '--write-baseline', baseline]);
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).version).toBe(1);
    const again = await run([join(dir, 'orders.yaml'), '--baseline', baseline, '--fail-on', 'info']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/No findings; \d+ in baseline/);
    writeFileSync(
      join(dir, 'orders.yaml'),
      ORDERS.replace(
        '  /order/{orderId}:',
        '  /getOrders:\n    get: {responses: {"200": {description: ok}}}\n  /order/{orderId}:',
      ),
    );
    const changed = await run([join(dir, 'orders.yaml'), '--baseline', baseline, '--fail-on', 'warn']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('architect/path-no-verbs');
    expect(changed.stdout).not.toContain('architect/path-plural-collections');
  });

  it('a rules file turns rules off', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  architect/path-plural-collections: off\n');
    const result = await run([join(dir, 'orders.yaml'), '--rules', join(dir, 'rules.yaml')]);
    expect(result.stdout).not.toContain('architect/path-plural-collections');
  });
});
