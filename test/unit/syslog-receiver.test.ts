// The receiver's lifecycle without the network: settings the app stores go straight in, and bad
// ones come back as an error state with every problem named, before any socket is opened.
import { describe, expect, it } from 'vitest';
import { SYSLOG_DEFAULTS, type SyslogEvent } from '../../shared/syslog.js';
import { createSyslogReceiver } from '../../electron/syslog/index.js';

describe('createSyslogReceiver', () => {
  it('takes the stored settings as they are, with the allow-list as a predicate', () => {
    const r = createSyslogReceiver({ ...SYSLOG_DEFAULTS, isAllowed: () => true });
    expect(r.state).toEqual({ state: 'stopped' });
    expect(r.messages()).toEqual([]);
    expect(r.stats()).toEqual({ received: 0, accepted: 0, dropped: { rateLimited: 0, notAllowed: 0 } });
  });

  it('refuses bad settings with an error state naming each problem, and can be stopped after', async () => {
    const r = createSyslogReceiver({
      host: 'not-an-address',
      port: 70_000,
      maxMessages: 0,
      perSenderPerSecond: 1,
      isAllowed: () => true,
    });
    const events: SyslogEvent[] = [];
    r.onEvent((e) => events.push(e));
    const state = await r.start();
    expect(state).toMatchObject({ state: 'error', code: 'INVALID_SETTINGS' });
    const message = state.state === 'error' ? state.message : '';
    expect(message).toContain('Port must be');
    expect(message).toContain('listen address');
    expect(message).toContain('Messages kept');
    expect(events.map((e) => (e.type === 'syslog-state' ? e.state.state : e.type))).toEqual([
      'starting',
      'error',
    ]);
    expect(events.every((e) => e.service === 'syslog')).toBe(true);
    await r.stop();
    expect(r.state).toEqual({ state: 'stopped' });
  });

  it('stop before start does nothing, and a throwing subscriber harms no one', async () => {
    const r = createSyslogReceiver({ ...SYSLOG_DEFAULTS, port: 0, host: '127.0.0.1', isAllowed: () => true });
    await r.stop();
    expect(r.state).toEqual({ state: 'stopped' });
    const seen: string[] = [];
    r.onEvent(() => {
      throw new Error('subscriber bug');
    });
    const off = r.onEvent((e) => seen.push(e.type));
    expect((await r.start()).state).toBe('listening');
    await r.stop();
    off();
    expect(seen).toEqual(['syslog-state', 'syslog-state', 'syslog-state', 'syslog-state']);
  });
});
