// The Send to device form as data: a file in the served folder or one elsewhere by full path.
import { describe, expect, it } from 'vitest';
import { INITIAL_SEND_DRAFT, sendRequestOf, type SendDraft } from '../../renderer/lib/send-form';

const draft = (over: Partial<SendDraft>): SendDraft => ({
  ...INITIAL_SEND_DRAFT,
  device: '10.0.0.5',
  ...over,
});

describe('the Send to device form', () => {
  it('names a served file by its name, and the device file after it', () => {
    expect(sendRequestOf(draft({ localName: 'fw/recovery.bin' }))).toMatchObject({
      direction: 'put',
      localName: 'fw/recovery.bin',
      remoteName: 'recovery.bin',
    });
    expect(sendRequestOf(draft({ localName: '' }))).toBe('Choose a file from the served folder.');
  });

  it('sends a file elsewhere by its full path, the device file named after it', () => {
    const r = sendRequestOf(
      draft({ where: 'elsewhere', localPath: ' /home/me/fw-1.2.bin ', localName: 'stale' }),
    );
    expect(r).toMatchObject({ localName: '', localPath: '/home/me/fw-1.2.bin', remoteName: 'fw-1.2.bin' });
    expect(sendRequestOf(draft({ where: 'elsewhere', localPath: 'C:\\fw\\img.bin' }))).toMatchObject({
      remoteName: 'img.bin',
    });
    expect(sendRequestOf(draft({ where: 'elsewhere' }))).toBe('Choose the file to send.');
  });

  it('saves a fetched file in the served folder by default, or where chosen', () => {
    expect(sendRequestOf(draft({ direction: 'get', remoteName: 'cfg/startup' }))).toMatchObject({
      direction: 'get',
      localName: 'startup',
      remoteName: 'cfg/startup',
    });
    const r = sendRequestOf(
      draft({ direction: 'get', remoteName: 'startup', where: 'elsewhere', localPath: '/tmp/s.cfg' }),
    );
    expect(r).toMatchObject({ localName: '', localPath: '/tmp/s.cfg' });
    expect(sendRequestOf(draft({ direction: 'get', remoteName: 'x', where: 'elsewhere' }))).toBe(
      'Choose where to save the file.',
    );
  });

  it('says what is wrong before asking the app', () => {
    expect(sendRequestOf({ ...INITIAL_SEND_DRAFT })).toBe('Enter the device address.');
    expect(sendRequestOf(draft({ direction: 'get' }))).toBe('Enter the file name on the device.');
    expect(sendRequestOf(draft({ localName: 'a', blksize: '1k' }))).toBe(
      'Block size must be a whole number.',
    );
  });
});
