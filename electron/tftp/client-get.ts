// tftpGet: fetch a file from a TFTP server (RFC 1350 read request). The bytes go to a temporary
// file beside the target, which is renamed over it only once the last block has arrived: a failed
// or cancelled transfer leaves no partial file and never touches an existing one.
//
// Writes are synchronous: blocks arrive in order, one at a time, and a local disk takes a block
// far faster than the network brings the next; it keeps the file's order trivially right and the
// memory bounded (nothing queues behind a slow write).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClientTransferResult } from '../../shared/tftp-client.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { checkOptions, type ClientTransferOptions } from './client-args.js';
import { localFileError, TftpClientError } from './client-errors.js';
import { GetSession } from './client-get-session.js';
import { requestOptions } from './client-options.js';
import { progressThrottle } from './client-progress.js';
import { ClientTransport, resolveServer } from './client-transport.js';
import { NetasciiDecoder } from './netascii.js';
import { encodeAck, encodeRequest } from './packet.js';

const WRITE_FAILED = { code: TftpErrorCode.DiskFull, message: 'Client cannot write the file' };

/** Opens `.<name>.<hex>.part` beside the target, exclusively; errors name the folder. */
function openTemp(target: string): { path: string; fd: number } {
  try {
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory())
      throw new TftpClientError('LOCAL_FILE', `${target}: is a folder`);
  } catch (err) {
    if (err instanceof TftpClientError) throw err;
    throw localFileError(err, target);
  }
  const path = join(
    dirname(target),
    `.${basename(target).slice(0, 200)}.${randomBytes(6).toString('hex')}.part`,
  );
  try {
    return { path, fd: openSync(path, 'wx', 0o644) };
  } catch (err) {
    throw localFileError(err, dirname(target));
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export async function tftpGet(options: ClientTransferOptions): Promise<ClientTransferResult> {
  const o = checkOptions(options);
  const target = resolve(options.localPath);
  const temp = openTemp(target);
  let closed = false;
  const closeTemp = () => {
    if (!closed) closeSync(temp.fd);
    closed = true;
  };
  let transport: ClientTransport | undefined;
  try {
    const server = await resolveServer(options.host, o.port);
    transport = await ClientTransport.open(server);
    const hash = createHash('sha256');
    const decoder = o.mode === 'netascii' ? new NetasciiDecoder() : undefined;
    let written = 0;
    let received = 0;
    const write = (bytes: Buffer) => {
      writeSync(temp.fd, bytes);
      hash.update(bytes);
      written += bytes.length;
    };
    const asked = o.noOptions
      ? []
      : requestOptions({
          blksize: o.blksize,
          windowsize: o.windowsize,
          timeout: o.timeoutAsked ? o.timeoutSeconds : undefined,
          tsize: 0,
        });
    const progress = progressThrottle(options.onProgress);
    const t = transport;
    const session: GetSession = new GetSession(
      { options: asked, timeoutSeconds: o.timeoutSeconds, retries: o.retries, waitMs: o.waitMs },
      {
        ...t.output((opts) => encodeRequest('rrq', options.remoteName, o.mode, opts)),
        sendAck: (wire) => t.send(session.tid ?? o.port, encodeAck(wire)),
        deliver: (data) => {
          try {
            write(decoder ? decoder.decode(data) : data);
          } catch (err) {
            const local = localFileError(err, target);
            return { code: local.code, message: local.message, wire: WRITE_FAILED };
          }
          received += data.length;
          progress({
            bytes: received,
            total: session.negotiatedOptions.tsize,
            retransmits: session.retransmits,
          });
          return undefined;
        },
      },
    );
    const started = performance.now();
    await t.run(session, options.signal);
    try {
      if (decoder) write(decoder.end());
      closeTemp();
      renameSync(temp.path, target);
    } catch (err) {
      throw localFileError(err, target);
    }
    progress(
      { bytes: received, total: session.negotiatedOptions.tsize, retransmits: session.retransmits },
      true,
    );
    return {
      direction: 'get',
      host: server.address,
      port: server.port,
      remoteName: options.remoteName,
      localPath: target,
      mode: o.mode,
      bytes: written,
      durationMs: performance.now() - started,
      sha256: hash.digest('hex'),
      options: session.negotiatedOptions,
      retransmits: session.retransmits,
    };
  } finally {
    closeTemp();
    removeQuietly(temp.path); // after a success it has been renamed away: a no-op
    await transport?.close();
  }
}
