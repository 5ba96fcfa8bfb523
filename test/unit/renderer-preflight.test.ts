// The pre-flight panel's pure logic: recipes fill the form, the form makes the request, the verdict
// line, and when the check is suggested (Start failed; listening a minute with nothing arrived).
import { describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../shared/preflight';
import {
  EMPTY_FORM,
  QUIET_MS,
  applyRecipe,
  preflightSuggestion,
  requestFromForm,
  verdict,
} from '../../renderer/lib/preflight';

describe('form and request', () => {
  it('a recipe fills both addresses and brings its prefix into the request', () => {
    const form = applyRecipe({ ...EMPTY_FORM, iface: 'eth1' }, 'tp-link');
    expect(form).toMatchObject({
      serverAddress: '192.168.0.66',
      deviceAddress: '192.168.0.86',
      iface: 'eth1',
    });
    expect(requestFromForm(form)).toEqual({
      ok: true,
      request: {
        serverAddress: '192.168.0.66',
        deviceAddress: '192.168.0.86',
        interface: 'eth1',
        prefix: 24,
      },
    });
  });

  it('blank fields are left out; a bad port is refused before the call', () => {
    expect(requestFromForm(EMPTY_FORM)).toEqual({ ok: true, request: {} });
    expect(requestFromForm({ ...EMPTY_FORM, port: '6969' })).toEqual({ ok: true, request: { port: 6969 } });
    expect(requestFromForm({ ...EMPTY_FORM, port: '70000' })).toMatchObject({ ok: false });
    expect(requestFromForm({ ...EMPTY_FORM, port: '6x' })).toMatchObject({ ok: false });
  });
});

describe('verdict', () => {
  const report = (statuses: PreflightReport['checks'][number]['status'][]): PreflightReport => ({
    platform: 'linux',
    port: 69,
    ranAt: 0,
    checks: statuses.map((status, i) => ({ id: 'firewall', title: `c${i}`, status, summary: '' })),
  });
  it('counts problems and checks; otherwise says what could not run', () => {
    expect(verdict(report(['problem', 'warning', 'ok', 'problem']))).toEqual({
      text: '2 problems, 1 to check found',
      tone: 'error',
    });
    expect(verdict(report(['ok', 'unknown', 'skipped']))).toEqual({
      text: 'Nothing in the way found; 1 check could not run here',
      tone: 'ok',
    });
  });
});

describe('suggestion', () => {
  const listening = { state: 'listening' as const, addresses: [], root: '/srv' };
  it('after a failed Start, at once', () => {
    const error = { state: 'error' as const, code: 'EADDRINUSE' as const, message: 'x' };
    expect(preflightSuggestion(error, { listeningSince: null, sessionsAtStart: 0, sessionsNow: 0 }, 0)).toBe(
      'The server could not start.',
    );
  });

  it('after a quiet minute of listening, not before, and not once something arrived', () => {
    const watch = { listeningSince: 1000, sessionsAtStart: 3, sessionsNow: 3 };
    expect(preflightSuggestion(listening, watch, 1000 + QUIET_MS - 1)).toBeNull();
    expect(preflightSuggestion(listening, watch, 1000 + QUIET_MS)).toBe(
      'No request has arrived in the minute since the server started.',
    );
    expect(preflightSuggestion(listening, watch, 1000 + 3 * QUIET_MS)).toContain('3 minutes');
    expect(preflightSuggestion(listening, { ...watch, sessionsNow: 4 }, 1000 + 3 * QUIET_MS)).toBeNull();
    expect(preflightSuggestion({ state: 'stopped' }, watch, 1000 + 3 * QUIET_MS)).toBeNull();
  });
});
