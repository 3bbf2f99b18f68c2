import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import {
  buildOperations,
  buildSchemas,
  canonicalDecimal,
  checkDecimal,
  compareDecimals,
  createApiAjv,
  decimalPattern,
  requestSchemas,
} from '../../../src/design/api/index.js';

describe('exact decimals', () => {
  it('compares digit by digit, without floating point', () => {
    expect(compareDecimals('0.00001', '0.0001')).toBe(-1);
    expect(compareDecimals('0.0001', 0.0001)).toBe(0);
    expect(compareDecimals('12.50', '12.5')).toBe(0);
    expect(compareDecimals('-1', '-0.5')).toBe(-1);
    expect(compareDecimals('100000000000000000000.1', '100000000000000000000.01')).toBe(1);
    expect(compareDecimals(1e21, '1000000000000000000000')).toBe(0);
    expect(compareDecimals(1e-7, '0.0000001')).toBe(0);
    expect(compareDecimals('-0', '0')).toBe(0);
  });

  it('reads numbers as the text the client wrote', () => {
    expect(canonicalDecimal(0.1)).toBe('0.1');
    expect(canonicalDecimal('012.500')).toBe('12.5');
    expect(canonicalDecimal(1e-7)).toBe('0.0000001');
    expect(canonicalDecimal('1e3')).toBeUndefined();
  });

  it('derives the pattern of numeric(p, s)', () => {
    const pattern = new RegExp(decimalPattern(18, 4));
    expect(pattern.test('12.5000')).toBe(true);
    expect(pattern.test('-0.0001')).toBe(true);
    expect(pattern.test('99999999999999.9999')).toBe(true);
    expect(pattern.test('999999999999999')).toBe(false);
    expect(pattern.test('1.00001')).toBe(false);
    expect(pattern.test('1e3')).toBe(false);
    expect(pattern.test('01')).toBe(false);
    expect(new RegExp(decimalPattern(4, 4)).test('0.1234')).toBe(true);
    expect(new RegExp(decimalPattern(4, 4)).test('1.1')).toBe(false);
    expect(new RegExp(decimalPattern(5, 0)).test('12345')).toBe(true);
    expect(new RegExp(decimalPattern(5, 0)).test('1.5')).toBe(false);
  });

  it('reports bounds with the keyword and message a client expects', () => {
    const options = { precision: 18, scale: 4, minimum: '0.0001' };
    expect(checkDecimal('0.0001', options)).toEqual([]);
    expect(checkDecimal('0.00001', options).map((error) => [error.keyword, error.message])).toEqual([
      ['x-decimal', 'must have at most 14 digits before the decimal point and 4 after it'],
      ['minimum', 'must be >= 0.0001'],
    ]);
    expect(checkDecimal('5', { precision: 18, scale: 4, maximum: '4.5' })[0]?.message).toBe('must be <= 4.5');
    expect(checkDecimal('0.000', { precision: 18, scale: 4, not: '0' })[0]?.keyword).toBe('not');
    expect(checkDecimal('1e3', options)[0]?.keyword).toBe('format');
  });
});

describe('x-decimal through ajv, on the flagship purchase order line', async () => {
  const model = await loadBlueprint('examples/inventory');
  const operation = buildOperations(model).find((candidate) => candidate.id === 'createPurchaseOrderLine')!;
  const validate = createApiAjv().compile(requestSchemas(operation, buildSchemas(model)).body!);
  const line = { lineNo: 1, productId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab', unitCost: '2.50' };

  it.each([
    ['0.0001', true],
    [0.0001, true],
    ['12.5', true],
    [12, true],
    ['0.00001', false],
    [0.00001, false],
    ['1e3', false],
    ['0', false],
    [-1, false],
    ['123456789012345', false],
    [true, false],
  ])('qtyOrdered %j valid: %s', (qtyOrdered, valid) => {
    expect(validate({ ...line, qtyOrdered })).toBe(valid);
  });

  it('names the failed bound in the error', () => {
    validate({ ...line, qtyOrdered: '0.00001' });
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/qtyOrdered',
        keyword: 'minimum',
        message: 'must be >= 0.0001',
      }),
    );
  });

  it('refuses zero for a ledger delta (`not: 0`) however it is written', async () => {
    const create = buildOperations(model).find((candidate) => candidate.id === 'createStockMovement')!;
    const check = createApiAjv().compile(requestSchemas(create, buildSchemas(model)).body!);
    const movement = {
      productId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab',
      locationId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ac',
      qtyAfter: '10',
      reason: 'adjustment',
      source: 'count:1',
    };
    for (const zero of ['0', '0.0000', '-0', 0]) expect(check({ ...movement, qtyDelta: zero })).toBe(false);
    expect(check({ ...movement, qtyDelta: '-1.5' })).toBe(true);
  });
});
