/** The tenant wall's session, inlined for the one-message BEGIN: plain values only. */
import { describe, expect, it } from 'vitest';
import { sessionScript, sessionStatement } from '../../../src/runtime/db/session-driver.js';

describe('sessionScript', () => {
  it('sets the role and each setting for the transaction only, as the parameterized statement does', () => {
    const session = {
      role: 'architect_app',
      settings: { 'architect.tenant_id': '019a1b2c-3d4e-7f00-8000-000000000001' },
    };
    expect(sessionScript(session)).toBe(
      "SET LOCAL ROLE architect_app; SET LOCAL architect.tenant_id = '019a1b2c-3d4e-7f00-8000-000000000001'",
    );
    expect(sessionStatement(session)).toEqual({
      text: 'SELECT set_config($1, $2, true), set_config($3, $4, true)',
      values: ['role', 'architect_app', 'architect.tenant_id', '019a1b2c-3d4e-7f00-8000-000000000001'],
    });
    // No tenant: an empty setting (no rows), not a missing one.
    expect(sessionScript({ settings: { 'architect.tenant_id': '' } })).toBe(
      "SET LOCAL architect.tenant_id = ''",
    );
  });

  it('refuses a value a quote or a backslash could break out of', () => {
    for (const value of ["x'; DROP TABLE projects; --", 'a\\', 'two words', 'new\nline']) {
      expect(() => sessionScript({ settings: { 'architect.tenant_id': value } })).toThrow(/literal/);
    }
    expect(() => sessionScript({ role: "architect_app'", settings: {} })).toThrow(/literal/);
    expect(() => sessionScript({ role: 'app; DROP ROLE x', settings: {} })).toThrow(/literal/);
    expect(() => sessionScript({ settings: { 'tenant; RESET ALL': 'x' } })).toThrow(/literal/);
  });
});
