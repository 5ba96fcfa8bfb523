// @vitest-environment jsdom
// The transfer detail: rows open it, it shows the request and the OACK as sent (escaped), follows a
// live transfer into history with its SHA-256, and charts the bounded series; the chart geometry
// puts resends on the rate's time axis. Rows themselves never draw a chart.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events';
import { addSample, emptySeries } from '../../shared/throughput-series';
import { TransfersView } from '../../renderer/components/TransfersView';
import { chartGeometry, niceCeiling, niceRateCeiling } from '../../renderer/lib/throughput-chart';
import { closeTransferDetail } from '../../renderer/store/detail-store';
import { applySessionEvents, emptySessions, useSessionsStore } from '../../renderer/store/sessions-store';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(() => {
  cleanup();
  act(() => closeTransferDetail());
  useSessionsStore.setState(emptySessions, true);
});

const apply = (events: EngineEvent[]) =>
  act(() => useSessionsStore.setState((s) => applySessionEvents(s, events)));

const SHA = 'ab'.repeat(32);

function started(id: string, extra: Partial<SessionStartedEvent> = {}): SessionStartedEvent {
  return {
    type: 'session-started',
    time: 1000,
    id,
    peer: '10.0.0.7:40000',
    file: 'pxelinux.0',
    direction: 'download',
    mode: 'octet',
    options: { blksize: 1024, windowsize: 4, timeout: 2, tsize: 4096 },
    size: 4096,
    request: {
      name: 'PXELinux.0\u001b[2J',
      mode: 'OCTET',
      options: [
        { name: 'TSIZE', value: '0' },
        { name: 'blksize', value: '1428' },
        { name: 'windowsize', value: '4' },
      ],
      client: { client: 'pxelinux', confidence: 'guess', reasons: ['tsize then blksize'] },
      mapped: { to: 'pxelinux.0', rule: 'i PXELinux.0 pxelinux.0' },
    },
    oack: [
      { name: 'tsize', value: '4096' },
      { name: 'blksize', value: '1024' },
      { name: 'windowsize', value: '4' },
    ],
    ...extra,
  };
}

describe('chart geometry', () => {
  it('draws one step per interval, resends on the same time axis', () => {
    let s = emptySeries(0);
    s = addSample(s, { time: 1000, bytes: 1024, resends: 0 });
    s = addSample(s, { time: 2000, bytes: 3072, resends: 2 });
    s = addSample(s, { time: 4000, bytes: 4096, resends: 3 });
    const g = chartGeometry(s, { width: 400, height: 100, strip: 20 });
    expect(g.points).toBe(3);
    expect(g.duration).toBe(4000);
    expect(g.peak).toBe(2048);
    expect(g.top).toBe(2048);
    expect(g.line).toBe('M0,50H100L100,0H200L200,75H400');
    expect(g.area.endsWith('V100H0Z')).toBe(true);
    expect(g.totalResends).toBe(3);
    expect(g.resends).toEqual([
      { x: 100, width: 100, height: 20, count: 2, at: 2000 },
      { x: 200, width: 200, height: 10, count: 1, at: 4000 },
    ]);
  });

  it('rounds a rate in the unit its label shows', () => {
    expect(niceRateCeiling(261_000)).toBe(500 * 1024);
    expect(niceRateCeiling(900)).toBe(1000);
    expect(niceRateCeiling(3 * 1024 * 1024 + 1)).toBe(5 * 1024 * 1024);
  });

  it('has nothing to draw without samples', () => {
    const g = chartGeometry(undefined, { width: 400, height: 100, strip: 20 });
    expect(g).toMatchObject({ line: '', area: '', points: 0, resends: [] });
  });

  it('rounds the top of the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 7, 12, 180, 4999, 5001].map(niceCeiling)).toEqual([1, 0.5, 10, 20, 200, 5000, 10000]);
  });
});

describe('TransferDetail', () => {
  it('opens from a live row, follows the transfer into history with its SHA-256 and chart', () => {
    render(<TransfersView />);
    apply([started('s1')]);
    for (let i = 1; i <= 30; i++)
      apply([
        {
          type: 'session-progress',
          time: 1000 + i * 100,
          id: 's1',
          bytes: i * 100,
          rate: 1000,
          retransmits: i >> 3,
        },
      ]);
    expect(document.querySelector('.throughput-chart')).toBeNull(); // rows draw no chart

    fireEvent.click(document.querySelector('[data-session="s1"] .file') as Element);
    const drawer = screen.getByRole('dialog', { name: 'Transfer detail' });
    expect(within(drawer).getByTestId('detail-name').textContent).toBe('PXELinux.0\\x1b[2J');
    expect(drawer.textContent).toContain('OCTET');
    const asked = within(drawer).getByRole('list', { name: 'Options as sent' });
    expect([...asked.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'TSIZE = 0',
      'blksize = 1428',
      'windowsize = 4',
    ]);
    const oack = within(drawer).getByRole('list', { name: 'OACK options' });
    expect([...oack.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'tsize = 4096',
      'blksize = 1024',
      'windowsize = 4',
    ]);
    expect(drawer.textContent).toContain('pxelinux/syslinux (a guess)');
    expect(drawer.textContent).toContain('i PXELinux.0 pxelinux.0');
    expect(drawer.textContent).toContain('In progress');
    const chart = within(drawer).getByRole('img');
    expect(Number(chart.getAttribute('data-points'))).toBe(30);
    expect(chart.getAttribute('data-resends')).toBe('3');
    expect(drawer.querySelectorAll('rect.resend')).toHaveLength(3);

    apply([
      {
        type: 'session-finished',
        time: 4200,
        id: 's1',
        stats: { bytes: 4096, durationMs: 3200, averageRate: 1280, retransmits: 4, sha256: SHA },
      },
    ]);
    expect(document.querySelector('[data-session="s1"]')).toBeNull();
    expect(within(drawer).getByTestId('detail-sha256').textContent).toBe(SHA);
    expect(within(drawer).getByRole('button', { name: 'Copy SHA-256' })).not.toBeNull();
    expect(within(drawer).getByRole('img').getAttribute('data-resends')).toBe('4');

    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens a failed transfer from history: no OACK, the reason, and a key opens it too', () => {
    render(<TransfersView />);
    apply([
      started('s2', { oack: undefined, request: undefined, file: 'missing.bin' }),
      {
        type: 'session-failed',
        time: 1001,
        id: 's2',
        code: 1,
        message: 'File not found',
        by: 'server',
        bytes: 0,
        durationMs: 1,
        reason: 'not found',
      },
    ]);
    const row = document.querySelector('[data-history="s2"]') as HTMLElement;
    row.focus();
    fireEvent.keyDown(row, { key: 'Enter' });
    const drawer = screen.getByRole('dialog', { name: 'Transfer detail' });
    expect(document.activeElement?.textContent).toBe('Close');
    expect(drawer.textContent).toContain('No OACK sent: the request was refused.');
    expect(drawer.textContent).toContain('Why: not found');
    expect(drawer.textContent).toContain('File not found (error 1, refused by the server)');
    expect(drawer.textContent).toContain('nothing to chart');
    // without the request there is no device to give a profile to
    expect(within(drawer).queryByTestId('device-profile')).toBeNull();
    fireEvent.click(within(drawer).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(row);
  });

  it('offers a device profile for the device behind the transfer, its fingerprint said as a guess', () => {
    render(<TransfersView />);
    apply([started('s3')]);
    fireEvent.click(document.querySelector('[data-session="s3"] .file') as Element);
    const drawer = within(screen.getByRole('dialog', { name: 'Transfer detail' }));
    expect(drawer.getByTestId('profile-applies').textContent).toMatch(/^No device profile applies/);
    fireEvent.click(drawer.getByRole('button', { name: 'Use a device profile for this device…' }));
    expect(drawer.getByLabelText(/This device only \(10\.0\.0\.7\)/)).toBeTruthy();
    expect(
      drawer.getByLabelText(/Every client that looks like pxelinux\/syslinux \(a guess from this request\)/),
    ).toBeTruthy();
  });

  it('the copy button in a history row copies without opening the detail', () => {
    render(<TransfersView />);
    apply([
      started('s3'),
      {
        type: 'session-finished',
        time: 2000,
        id: 's3',
        stats: { bytes: 4096, durationMs: 1000, averageRate: 4096, retransmits: 0, sha256: SHA },
      },
    ]);
    const row = document.querySelector('[data-history="s3"]') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: /Copy SHA-256/ }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(row);
    expect(screen.getByRole('dialog', { name: 'Transfer detail' })).not.toBeNull();
  });
});
