// @vitest-environment jsdom
// The history's hash column: a finished download shows its SHA-256, one whose file changed while it
// was sent says so instead (there is no hash that describes what the client got).
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events';
import { HistoryList } from '../../renderer/components/HistoryList';
import { applyBatch } from '../../renderer/store/sync';
import { giveElementsASize } from './jsdom-layout';

beforeAll(() => giveElementsASize());
afterEach(cleanup);

const started = (id: string): SessionStartedEvent => ({
  type: 'session-started',
  time: 1,
  id,
  peer: '10.0.0.7:40000',
  file: `${id}.img`,
  direction: 'download',
  mode: 'octet',
  options: { blksize: 1468, windowsize: 1, timeout: 3 },
  size: 4096,
});

const finished = (id: string, sha256: string, fileChanged?: true): EngineEvent => ({
  type: 'session-finished',
  time: 2,
  id,
  stats: {
    bytes: 4096,
    durationMs: 10,
    averageRate: 409_600,
    retransmits: 0,
    sha256,
    ...(fileChanged ? { fileChanged } : {}),
  },
});

describe('HistoryList hash column', () => {
  it('shows the hash, or "file changed during transfer" and no hash', () => {
    const sha = 'ab'.repeat(32);
    render(<HistoryList />);
    act(() => applyBatch([started('h1'), finished('h1', sha), started('h2'), finished('h2', '', true)]));
    const ok = document.querySelector('[data-history="h1"]') as HTMLElement;
    expect(ok.textContent).toContain(sha.slice(0, 16));
    expect(ok.querySelector('[data-testid="file-changed"]')).toBeNull();
    const changed = document.querySelector('[data-history="h2"]') as HTMLElement;
    expect(changed.querySelector('[data-testid="file-changed"]')?.textContent).toBe(
      'file changed during transfer',
    );
    expect(changed.querySelector('.sha')).toBeNull();
  });
});
