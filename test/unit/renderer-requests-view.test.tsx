// @vitest-environment jsdom
// The Requests tab in jsdom against a bridge object: a hostile name stays inert, escaped text; a
// suggestion's one click sends the rules with the exact rule first (a name with control characters
// cannot be a rule, and the view says so); the tester asks with the saved
// rules plus the one being typed and shows the server's answer.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events';
import type { TftpBridge } from '../../shared/ipc-contract';
import type { NameMapProbe } from '../../shared/name-map-contract';
import { APP_DEFAULTS, type AppSettings } from '../../shared/settings';
import { parseRuleList } from '../../electron/tftp/name-map';
import { connectNameMap } from '../../renderer/name-map-actions';
import { RequestsView } from '../../renderer/components/RequestsView';
import { emptySessions, useSessionsStore } from '../../renderer/store/sessions-store';
import { useSettingsStore } from '../../renderer/store/settings-store';
import { applyBatch } from '../../renderer/store/sync';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(cleanup);

const HOSTILE = '<img src=x onerror="window.pwned=1">\u001b[31m\u202e.BIN';

function bridgeWith(methods: Partial<TftpBridge>): TftpBridge {
  return new Proxy(methods, {
    get: (target, key) =>
      key in target
        ? target[key as keyof TftpBridge]
        : async () => {
            throw new Error(`${String(key)} is not part of this test`);
          },
  }) as TftpBridge;
}

function notFound(id: string, name: string, suggestion: string): EngineEvent[] {
  return [
    {
      type: 'session-started',
      time: 1,
      id,
      peer: '10.0.0.9:1069',
      file: name,
      direction: 'download',
      mode: 'octet',
      options: { blksize: 512, windowsize: 1, timeout: 3 },
      request: {
        name,
        mode: 'octet',
        options: [{ name: 'tsize', value: '0' }],
        client: { client: 'busybox', confidence: 'guess', reasons: ['tsize alone: BusyBox tftp.c'] },
      },
    },
    {
      type: 'session-failed',
      time: 1,
      id,
      code: 1,
      message: 'File not found',
      by: 'server',
      bytes: 0,
      durationMs: 0,
      reason: 'file not found',
      suggestions: [{ file: suggestion, reason: 'case' }],
    },
  ];
}

function start(settings: AppSettings, events: EngineEvent[]): void {
  useSettingsStore.setState({ settings });
  useSessionsStore.setState(emptySessions);
  render(<RequestsView />);
  act(() => applyBatch(events));
}

describe('RequestsView', () => {
  it('shows a hostile name as inert text, will not write it into a rule, and maps a plain name in one click', async () => {
    const sent: string[][] = [];
    const settings: AppSettings = { ...APP_DEFAULTS, root: '/srv/tftp' };
    connectNameMap(
      bridgeWith({
        setNameMap: async (lines) => {
          sent.push(lines);
          const parsed = parseRuleList(lines);
          if (!parsed.ok) return parsed;
          return { ok: true, settings: { ...settings, nameMap: parsed.rules } };
        },
      }),
    );
    start(settings, notFound('r1', HOSTILE, 'image.bin'));

    const row = document.querySelector('[data-request="r1"]') as HTMLElement;
    expect(row.querySelector('img')).toBeNull();
    expect(row.textContent).toContain('<img src=x onerror="window.pwned=1">\\x1b[31m\\u202e.BIN');
    expect(within(row).getByTestId('client').textContent).toBe('probably BusyBox tftp (guess)');
    expect(within(row).getByTestId('client').closest('[title]')?.getAttribute('title')).toBe(
      'tsize alone: BusyBox tftp.c',
    );
    expect(row.textContent).toContain('Not found');

    // A name with control characters cannot be written as a rule: said so, nothing sent.
    fireEvent.click(row);
    const detail = screen.getByTestId('request-detail');
    fireEvent.click(within(detail).getByRole('button', { name: /^Answer .* with image\.bin from now on$/ }));
    expect(within(detail).getByRole('alert').textContent).toMatch(/cannot be written as a rule/);
    expect(sent).toEqual([]);

    act(() => applyBatch(notFound('r2', 'My Image.BIN', 'my image.bin')));
    fireEvent.click(document.querySelector('[data-request="r2"]') as HTMLElement);
    const other = screen.getByTestId('request-detail');
    fireEvent.click(
      within(other).getByRole('button', { name: 'Answer My Image.BIN with my image.bin from now on' }),
    );
    await waitFor(() => expect(within(other).getByRole('status').textContent).toMatch(/^From now on/));
    // The raw name goes into the rule, spaces escaped; the rule is first, and the list shows it.
    expect(sent).toEqual([['e My\\ Image.BIN my\\ image.bin']]);
    expect(screen.getByRole('list', { name: 'Mapping rules' }).textContent).toContain('e My\\ Image.BIN');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('lists the saved rules and tries a sample with the rule being typed', async () => {
    const parsed = parseRuleList(['e a.bin b.bin']);
    if (!parsed.ok) throw new Error('rules');
    const probes: NameMapProbe[] = [];
    connectNameMap(
      bridgeWith({
        testNameMap: async (probe) => {
          probes.push(probe);
          return {
            ok: true,
            mapped: 'u-boot.img',
            matched: ['ri ^[0-9a-f]{8}\\.img$ u-boot.img'],
            resolved: { ok: true, file: 'u-boot.img', size: 7, exists: true },
          };
        },
      }),
    );
    start({ ...APP_DEFAULTS, root: '/srv/tftp', nameMap: parsed.rules }, []);
    expect(screen.getByRole('list', { name: 'Mapping rules' }).textContent).toContain('e a.bin b.bin');
    expect(screen.getByRole('button', { name: 'Move rule 1 up' })).toHaveProperty('disabled', true);

    fireEvent.change(screen.getByLabelText('New rule'), {
      target: { value: 'ri ^[0-9a-f]{8}\\.img$ u-boot.img' },
    });
    fireEvent.change(screen.getByLabelText('Name as the device sends it'), {
      target: { value: 'C0A80102.img' },
    });
    await waitFor(() =>
      expect(screen.getByTestId('tester-result').textContent).toContain('u-boot.img (7 bytes)'),
    );
    expect(probes.at(-1)).toEqual({
      name: 'C0A80102.img',
      rules: ['e a.bin b.bin', 'ri ^[0-9a-f]{8}\\.img$ u-boot.img'],
    });
    // an upload is tried as one (rules with G or P apply to one direction only)
    fireEvent.change(screen.getByLabelText('Request'), { target: { value: 'wrq' } });
    await waitFor(() => expect(probes.at(-1)?.kind).toBe('wrq'));
  });
});
