// Words for a transfer's direction and result: the server's transfers and the ones we started
// ourselves ("Send to device") share the lists, so the words must tell them apart.
import { emptySeries } from '../../shared/throughput-series';
import { describe, expect, it } from 'vitest';
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import { clientTag, directionText, failureReason, sessionStateText } from '../../renderer/lib/session-text';

const start = (fields: Partial<SessionStartedEvent> = {}): SessionStartedEvent => ({
  type: 'session-started',
  time: 0,
  id: 's',
  peer: '192.0.2.7:69',
  file: 'fw.bin',
  direction: 'download',
  mode: 'octet',
  options: { blksize: 512, windowsize: 1, timeout: 1 },
  ...fields,
});

const failedEntry = (started: SessionStartedEvent, code: 0 | 1, message: string): HistoryEntry => ({
  started,
  end: { type: 'session-failed', time: 1, id: 's', code, message, by: 'server', bytes: 0, durationMs: 1 },
});

describe('direction words', () => {
  it("tells the server's transfers from ours", () => {
    expect(directionText({ direction: 'download' })).toBe('Download (served)');
    expect(directionText({ direction: 'upload' })).toBe('Upload (received)');
    expect(directionText({ direction: 'download', role: 'client' })).toBe('Sent to device');
    expect(directionText({ direction: 'upload', role: 'client' })).toBe('Fetched from device');
  });

  it('tags only our own transfers', () => {
    expect(clientTag({ direction: 'download' })).toBeUndefined();
    expect(clientTag({ direction: 'download', role: 'client' })).toBe('to device');
    expect(clientTag({ direction: 'upload', role: 'client' })).toBe('from device');
  });

  it('says we are still contacting a device that has not answered yet', () => {
    const view = (started: SessionStartedEvent) => ({
      id: 's',
      started,
      bytes: 0,
      rate: 0,
      retransmits: 0,
      retrying: false,
      updated: 0,
      series: emptySeries(0),
    });
    expect(sessionStateText(view(start({ role: 'client' })))).toBe('Contacting');
    expect(sessionStateText(view(start()))).toBe('Negotiating');
  });
});

describe('failure words', () => {
  it("keeps our transfer's own sentence, which already names the device's error", () => {
    const text = 'The device refused the request. The device said ERROR 1 (File not found).';
    expect(failureReason(failedEntry(start({ role: 'client' }), 1, text))).toBe(text);
  });

  it("words a server transfer's failure with its code and who ended it", () => {
    expect(failureReason(failedEntry(start(), 1, 'no such file'))).toBe(
      'File not found (error 1, refused by the server): no such file',
    );
  });
});
