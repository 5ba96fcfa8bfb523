import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events.js';
import { MAX_NOTICES_PER_BATCH, createTransferNotifier } from '../../electron/app/notifier.js';
import { finished, progress, started } from './app-fakes.js';

const failed = (id: string, message = 'File not found'): EngineEvent => ({
  type: 'session-failed',
  time: 0,
  id,
  code: 1,
  message,
  by: 'server',
  bytes: 0,
  durationMs: 1,
});

describe('transfer notifier', () => {
  it('names the file and peer of a finished download, even across batches', () => {
    const n = createTransferNotifier();
    expect(n.notices([started('a', 0, 'fw/image.bin'), progress('a', 10)])).toEqual([]);
    expect(n.notices([finished('a', 3 * 1024 * 1024)])).toEqual([
      { title: 'Download finished', body: 'fw/image.bin to 127.0.0.1:40000: 3.0 MiB' },
    ]);
  });

  it('names a transfer we started ourselves (Send to device) for what it was', () => {
    const n = createTransferNotifier();
    const ours = (id: string, direction: 'download' | 'upload'): EngineEvent => {
      const e = started(id, 0, 'flash.bin');
      return e.type === 'session-started' ? { ...e, direction, role: 'client', peer: '192.0.2.7:69' } : e;
    };
    expect(n.notices([ours('p', 'download'), finished('p', 2048), ours('g', 'upload'), failed('g')])).toEqual(
      [
        { title: 'Send to device finished', body: 'flash.bin to 192.0.2.7:69: 2.0 KiB' },
        { title: 'Fetch from device failed', body: 'flash.bin from 192.0.2.7:69: File not found' },
      ],
    );
  });

  it('reports failures and neutralises control and bidi characters', () => {
    const n = createTransferNotifier();
    const evil = 'a\u001b[31m\u202Egnp.exe';
    const [notice] = n.notices([started('b', 0, evil), failed('b', 'Access violation\r\nforged line')]);
    expect(notice!.title).toBe('Download failed');
    expect(notice!.body).toBe('a?[31m?gnp.exe to 127.0.0.1:40000: Access violation??forged line');
  });

  it('summarises a storm of endings into one notice', () => {
    const n = createTransferNotifier();
    const batch: EngineEvent[] = [];
    for (let i = 0; i < 40; i++)
      batch.push(started(`s${i}`), i % 4 === 0 ? failed(`s${i}`) : finished(`s${i}`));
    expect(n.notices(batch)).toEqual([{ title: 'Transfers ended', body: '30 finished, 10 failed.' }]);
    const few: EngineEvent[] = [];
    for (let i = 0; i < MAX_NOTICES_PER_BATCH; i++) few.push(started(`f${i}`), finished(`f${i}`));
    expect(n.notices(few)).toHaveLength(MAX_NOTICES_PER_BATCH);
  });
});
