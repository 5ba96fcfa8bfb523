// Deciding on one request (RRQ/WRQ) once it has passed the network checks: mode, path policy,
// upload policy, option negotiation, size and space limits. Returns either a refusal (the ERROR
// for the client and a fixed phrase for the log) or everything the transfer needs, opened.
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { DeviceProfile } from '../../shared/device-profiles.js';
import type { EngineSettings } from '../../shared/settings.js';
import { TftpErrorCode, type OptionAsSent } from '../../shared/tftp-types.js';
import { downloadIdentity, type FileIdentity } from './file-digests.js';
import { openForRead, resolveForWrite, type PathRefusal } from './file-root.js';
import { mapFsError } from './fs-errors.js';
import { isSupportedMode, negotiate, type Negotiated } from './options.js';
import type { RequestPacket } from './packet.js';
import { beginUpload, freeBytes, type UploadTemp } from './upload-file.js';

export interface Refusal {
  ok: false;
  code: TftpErrorCode;
  clientMessage: string;
  /** fixed phrase for the log (never the raw file name) */
  reason: string;
}

export interface ReadAdmission {
  ok: true;
  kind: 'read';
  handle: FileHandle;
  size: number;
  /** the file's real path, for its digest job (file-digests.ts) */
  path: string;
  /** octet: the opened file's identity, which keys its digest; unset, its blocks are hashed instead */
  identity?: FileIdentity;
  relative: string;
  netascii: boolean;
  negotiated: Negotiated;
}

export interface WriteAdmission {
  ok: true;
  kind: 'write';
  upload: UploadTemp;
  relative: string;
  /** absolute target path, held in the in-flight set until the transfer ends */
  lockKey: string;
  netascii: boolean;
  negotiated: Negotiated;
  policy: 'create' | 'overwrite';
}

export type Admission = Refusal | ReadAdmission | WriteAdmission;

const inUse = (): Refusal =>
  refuse(
    TftpErrorCode.AccessViolation,
    'File is being uploaded by another client',
    'an upload of this file is in progress',
  );

const isRefusal = (x: object): x is PathRefusal => (x as PathRefusal).ok === false;

const refuse = (code: TftpErrorCode, clientMessage: string, reason: string): Refusal => ({
  ok: false,
  code,
  clientMessage,
  reason,
});

function limitsOf(s: EngineSettings) {
  return { maxBlksize: s.maxBlksize, maxWindowsize: s.maxWindowsize, defaultTimeout: s.timeout };
}

/** The device profile that applies to this client, and its options as spelled (for echoing names). */
export interface Quirks {
  profile?: DeviceProfile;
  asSent?: readonly OptionAsSent[];
}

export async function admitRequest(
  req: RequestPacket,
  s: EngineSettings,
  uploadsInFlight: Set<string>,
  quirks: Quirks = {},
): Promise<Admission> {
  if (!isSupportedMode(req.mode)) {
    return refuse(
      TftpErrorCode.IllegalOperation,
      'Unsupported transfer mode (use octet or netascii)',
      `unsupported mode`,
    );
  }
  const netascii = req.mode === 'netascii';
  return req.kind === 'rrq'
    ? admitRead(req, s, netascii, quirks)
    : admitWrite(req, s, netascii, uploadsInFlight, quirks);
}

async function admitRead(
  req: RequestPacket,
  s: EngineSettings,
  netascii: boolean,
  quirks: Quirks,
): Promise<Admission> {
  const opened = await openForRead(s.root, req.filename, { caseInsensitive: s.caseInsensitive });
  if (isRefusal(opened)) return refuse(opened.code, opened.clientMessage, opened.reason);
  // netascii changes the size; rather than read the file twice, tsize is left out for it. It is
  // left out for an empty file too (curl rejects an OACK with `tsize 0` and gives up), unless the
  // device's profile wants the size always.
  const emptyUnsaid = opened.size === 0 && quirks.profile?.tsize !== 'always';
  const negotiated = negotiate(
    {
      kind: 'rrq',
      options: req.options,
      readSize: netascii || emptyUnsaid ? undefined : opened.size,
      ...(quirks.asSent ? { asSent: quirks.asSent } : {}),
    },
    limitsOf(s),
    quirks.profile,
  );
  const identity = netascii ? undefined : await downloadIdentity(opened.handle, opened.size);
  return {
    ok: true,
    kind: 'read',
    handle: opened.handle,
    size: opened.size,
    path: opened.path,
    ...(identity ? { identity } : {}),
    relative: opened.relative,
    netascii,
    negotiated,
  };
}

async function admitWrite(
  req: RequestPacket,
  s: EngineSettings,
  netascii: boolean,
  inFlight: Set<string>,
  quirks: Quirks,
): Promise<Admission> {
  if (s.uploads === 'off')
    return refuse(TftpErrorCode.AccessViolation, 'Uploads are disabled', 'uploads are disabled');
  const target = await resolveForWrite(s.root, req.filename, { caseInsensitive: s.caseInsensitive });
  if (isRefusal(target)) return refuse(target.code, target.clientMessage, target.reason);
  if (target.exists && s.uploads === 'create') {
    return refuse(TftpErrorCode.FileExists, 'File already exists', 'file exists and uploads may only create');
  }
  // On a case-insensitive lookup, A.bin and a.bin are one file: lock them as one.
  const lockKey = s.caseInsensitive ? target.path.toLowerCase() : target.path;
  if (inFlight.has(lockKey)) return inUse();
  const negotiated = negotiate(
    { kind: 'wrq', options: req.options, ...(quirks.asSent ? { asSent: quirks.asSent } : {}) },
    limitsOf(s),
    quirks.profile,
  );
  if (negotiated.tsize !== undefined) {
    if (negotiated.tsize > s.maxUploadBytes) {
      return refuse(
        TftpErrorCode.DiskFull,
        'File exceeds the maximum upload size',
        'declared size over the upload limit',
      );
    }
    const free = await freeBytes(dirname(target.path));
    if (free !== undefined && negotiated.tsize > free) {
      return refuse(
        TftpErrorCode.DiskFull,
        'Not enough disk space',
        'declared size over the free disk space',
      );
    }
  }
  // Reserve the name before the next await, so a second WRQ for it is refused (E9, F3).
  if (inFlight.has(lockKey)) return inUse();
  inFlight.add(lockKey);
  try {
    const upload = await beginUpload(target.path);
    return {
      ok: true,
      kind: 'write',
      upload,
      relative: target.relative,
      lockKey,
      netascii,
      negotiated,
      policy: s.uploads,
    };
  } catch (err) {
    inFlight.delete(lockKey);
    const mapped = mapFsError(err);
    return refuse(mapped.code, mapped.clientMessage, mapped.reason);
  }
}
