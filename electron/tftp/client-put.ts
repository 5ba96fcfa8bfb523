// tftpPut: send a file to a TFTP server (RFC 1350 write request), the way firmware is pushed into
// a device's recovery mode. The file is opened and checked before anything is sent: a missing or
// unreadable file never reaches the network. tsize announces the size (octet only: the netascii
// size is only known once the whole file has been converted).
import { closeSync, fstatSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClientTransferResult } from '../../shared/tftp-client.js';
import { checkOptions, type ClientTransferOptions } from './client-args.js';
import { FileBlockSource } from './client-block-source.js';
import { localFileError, TftpClientError } from './client-errors.js';
import { requestOptions } from './client-options.js';
import { PutSession } from './client-put-session.js';
import { progressThrottle } from './client-progress.js';
import { ClientTransport, resolveServer } from './client-transport.js';
import { encodeData, encodeRequest } from './packet.js';

function openSource(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw localFileError(err, path);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new TftpClientError('LOCAL_FILE', `${path}: is a folder`);
    if (!st.isFile()) throw new TftpClientError('LOCAL_FILE', `${path}: not a regular file`);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err instanceof TftpClientError ? err : localFileError(err, path);
  }
}

export async function tftpPut(options: ClientTransferOptions): Promise<ClientTransferResult> {
  const o = checkOptions(options);
  const path = resolve(options.localPath);
  const file = openSource(path);
  let transport: ClientTransport | undefined;
  try {
    const server = await resolveServer(options.host, o.port);
    transport = await ClientTransport.open(server);
    const t = transport;
    const asked = o.noOptions
      ? []
      : requestOptions({
          blksize: o.blksize,
          windowsize: o.windowsize,
          timeout: o.timeoutAsked ? o.timeoutSeconds : undefined,
          tsize: o.mode === 'octet' ? file.size : undefined,
        });
    const source = new FileBlockSource(
      file.fd,
      path,
      o.mode === 'netascii',
      () => session.negotiatedOptions.blksize,
    );
    const progress = progressThrottle(options.onProgress);
    const total = o.mode === 'octet' ? file.size : undefined;
    const session: PutSession = new PutSession(
      { options: asked, timeoutSeconds: o.timeoutSeconds, retries: o.retries, waitMs: o.waitMs },
      {
        ...t.output((opts) => encodeRequest('wrq', options.remoteName, o.mode, opts)),
        sendBlock: (seq) => {
          t.send(session.tid ?? o.port, encodeData(seq, source.block(seq)));
          progress({ bytes: source.bytesAcked, total, retransmits: session.retransmits });
        },
      },
      source,
    );
    const started = performance.now();
    await t.run(session, options.signal);
    progress({ bytes: source.bytesAcked, total, retransmits: session.retransmits }, true);
    return {
      direction: 'put',
      host: server.address,
      port: server.port,
      remoteName: options.remoteName,
      localPath: path,
      mode: o.mode,
      bytes: source.bytesRead,
      durationMs: performance.now() - started,
      sha256: source.sha256(),
      options: session.negotiatedOptions,
      retransmits: session.retransmits,
    };
  } finally {
    closeSync(file.fd);
    await transport?.close();
  }
}
