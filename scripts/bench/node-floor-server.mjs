#!/usr/bin/env node
// The node:dgram floor: a reference TFTP server for `npm run bench`, not part of the product.
//
// It does the least work a node:dgram server can do per block, so its figures are an upper bound for
// any single-threaded Node server on this machine (TFTP Desk's engine included): a file is read once
// and laid out as ready-made DATA packets, and each ACK is answered by sending the next one, a prebuilt
// slice on a connected socket (no address lookup, no copy, no allocation by this code). What is left is
// node:dgram's own cost per datagram (one 'message' event with a fresh Buffer and rinfo per ACK, one
// send request per DATA): a ceiling that no amount of engine work can lift.
//
// Uploads (WRQ) get the same treatment: each DATA in order is kept as received (no copy, no hash) and
// answered at once by a 4-byte ACK from one reused buffer on a connected socket; the file is written
// in one call when the short last block arrives, before its ACK (no temporary file, no fsync). What is
// left is node:dgram's cost per DATA received and ACK sent, the ceiling for lock-step uploads.
//
// Scope: octet mode only. RRQ: blksize (8..65464), tsize and windowsize (RFC 7440, 1..64) are granted,
// other options ignored. WRQ: blksize and tsize are granted, lock-step only (no windowsize); a repeated
// DATA is answered by acknowledging the last block in order again. Block numbers roll over 65535 -> 0. Loss is handled by one timer for all
// sessions: a session idle for more than 200 ms gets its window again from the first unacknowledged
// block, and one idle for 5 s is dropped. No pacing: a window larger than the client's socket buffer
// stalls here as it does in atftpd. No checks a product needs beyond keeping names inside the root.
//
// Usage: node node-floor-server.mjs --root DIR --port N   (binds 127.0.0.1 only)
import { createSocket } from 'node:dgram';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HOST = '127.0.0.1';
const MAX_BLKSIZE = 65464;
const MAX_WINDOW = 64;
/** Socket buffers for windowed sessions, as large as TFTP Desk's, so windows meet the same kernel room. */
const WINDOWED_BUFFER_BYTES = 4 * 1024 * 1024;
const TICK_MS = 100;
const RESEND_TICKS = 3; // idle for more than 200 ms (ticks counted since the last progress or resend)
const GIVE_UP_TICKS = 50; // 5 s without progress

function parseCli(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--root') out.root = argv[i + 1];
    else if (argv[i] === '--port') out.port = Number(argv[i + 1]);
    else out.bad = argv[i];
  }
  if (out.bad || !out.root || !Number.isInteger(out.port) || out.port < 1 || out.port > 65535) {
    console.error('usage: node node-floor-server.mjs --root DIR --port N');
    process.exit(2);
  }
  return out;
}

const { root, port } = parseCli(process.argv.slice(2));

function errorPacket(code, message) {
  const text = Buffer.from(`${message}\0`, 'latin1');
  const packet = Buffer.alloc(4 + text.length);
  packet[1] = 5;
  packet[3] = code;
  text.copy(packet, 4);
  return packet;
}

/** RRQ/WRQ: | 01/02 | filename | 0 | mode | 0 | opt1 | 0 | value1 | 0 | ... (RFC 1350, RFC 2347). */
function parseRequest(msg) {
  if (msg.length < 4 || msg[0] !== 0 || (msg[1] !== 1 && msg[1] !== 2))
    return { error: [4, 'not a request'] };
  const fields = msg.toString('latin1', 2).split('\0');
  if (fields.length < 3 || fields.at(-1) !== '') return { error: [4, 'malformed request'] };
  const [name, mode] = fields;
  if (mode.toLowerCase() !== 'octet') return { error: [4, 'octet mode only'] };
  if (!name || /[/\\]/.test(name) || name.includes('..')) return { error: [2, 'name outside the root'] };
  const options = new Map();
  for (let i = 2; i + 1 < fields.length; i += 2) options.set(fields[i].toLowerCase(), fields[i + 1]);
  return { name, options, upload: msg[1] === 2 };
}

// Layouts by file and blksize, kept across transfers while the file is unchanged: reading and laying
// out 32 MiB costs about 3 ms/MB here, which would swamp the per-block figures this server exists for.
// The first transfer of a file at a given blksize pays it (with `--repeat 3` the medians are of later
// ones); concurrent transfers share one copy. Least recently used layouts go past CACHE_BYTES.
const CACHE_BYTES = 256 * 1024 * 1024;
const layouts = new Map();

/** The file as DATA packets in one Buffer: packet i (block i + 1) at i * (4 + blksize). */
function buildLayout(data, blksize) {
  const count = Math.floor(data.length / blksize) + 1;
  const stride = 4 + blksize;
  const all = Buffer.allocUnsafe((count - 1) * stride + 4 + (data.length - (count - 1) * blksize));
  const packets = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * stride;
    const block = (i + 1) & 0xffff;
    all[at] = 0;
    all[at + 1] = 3;
    all[at + 2] = block >> 8;
    all[at + 3] = block & 0xff;
    const copied = data.copy(all, at + 4, i * blksize, Math.min(data.length, (i + 1) * blksize));
    packets[i] = all.subarray(at, at + 4 + copied);
  }
  return { packets, size: data.length, bytes: all.length };
}

function layoutFor(name, blksize) {
  const path = join(root, name);
  const { size, mtimeMs } = statSync(path);
  const key = `${blksize}/${name}`;
  let layout = layouts.get(key);
  if (!layout || layout.size !== size || layout.mtimeMs !== mtimeMs) {
    layout = { ...buildLayout(readFileSync(path), blksize), mtimeMs };
  }
  layouts.delete(key);
  layouts.set(key, layout);
  // Sessions hold their own reference: evicting a layout in use only frees it when they end.
  let total = 0;
  for (const entry of layouts.values()) total += entry.bytes;
  for (const [oldKey, entry] of layouts) {
    if (total <= CACHE_BYTES || oldKey === key) break;
    layouts.delete(oldKey);
    total -= entry.bytes;
  }
  return layout;
}

/** RFC 2348: blksize 8..65464 (a larger request gets the largest); anything smaller keeps 512. */
function blksizeFor(options) {
  const asked = Number(options.get('blksize'));
  return Number.isInteger(asked) && asked >= 8 ? Math.min(asked, MAX_BLKSIZE) : undefined;
}

/** RFC 7440: windowsize 1..65535, capped; undefined when not asked for (or malformed). */
function windowFor(options) {
  const asked = Number(options.get('windowsize'));
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, MAX_WINDOW) : undefined;
}

/** The OACK granting blksize, tsize and windowsize (RFC 2347-2349, 7440), or undefined when none was asked. */
function oackFor(options, blksize, size, window) {
  const granted = [];
  if (blksize !== undefined) granted.push('blksize', String(blksize));
  if (options.has('tsize')) granted.push('tsize', String(size));
  if (window !== undefined) granted.push('windowsize', String(window));
  if (granted.length === 0) return undefined;
  return Buffer.concat([Buffer.from([0, 6]), Buffer.from(`${granted.join('\0')}\0`, 'latin1')]);
}

// Sessions by client address:port: a repeated RRQ (the client's own retry) gets the current packet
// again instead of a second transfer racing the first.
const sessions = new Map();

function endSession(session) {
  if (session.closed) return;
  session.closed = true;
  sessions.delete(session.peer);
  session.socket.close();
}

/** Sends what the window allows past the last acknowledged block. */
function pump(session) {
  const { packets } = session.layout;
  const limit = Math.min(packets.length, session.acked + session.window);
  while (session.sent < limit) session.socket.send(packets[session.sent++]);
}

function resend(session) {
  if (!session.ready) return;
  if (session.upload) return resendAck(session);
  if (session.oack && session.acked === 0 && session.sent === 0) return session.socket.send(session.oack);
  session.sent = session.acked;
  pump(session);
}

// The hot path: one ACK in, the prebuilt DATA packets it lets out. Duplicate and stale ACKs are ignored
// (no Sorcerer's Apprentice); lost packets are the timer's business.
function onTransferMessage(session, msg) {
  if (msg.length < 4 || msg[0] !== 0) return;
  if (msg[1] === 5) return endSession(session);
  if (msg[1] !== 4) return;
  // Blocks acknowledged by this ACK, counted from the last one (block numbers wrap at 65536).
  const delta = (((msg[2] << 8) | msg[3]) - session.acked) & 0xffff;
  if (delta === 0 ? session.sent !== 0 || !session.oack : delta > session.sent - session.acked) return;
  session.acked += delta;
  if (session.acked === session.layout.packets.length) return endSession(session);
  session.idle = 0;
  session.quiet = 0;
  pump(session);
}

function startSession(peer, address, clientPort, name, options) {
  const blksize = blksizeFor(options);
  let layout;
  try {
    layout = layoutFor(name, blksize ?? 512);
  } catch (error) {
    const [code, text] = error.code === 'ENOENT' ? [1, 'file not found'] : [2, 'cannot read the file'];
    return listener.send(errorPacket(code, text), clientPort, address);
  }
  const socket = createSocket('udp4');
  const window = windowFor(options);
  const oack = oackFor(options, blksize, layout.size, window);
  // acked: blocks acknowledged; sent: blocks sent (both counted from block 1, never wrapped).
  const session = {
    peer,
    socket,
    layout,
    oack,
    window: window ?? 1,
    acked: 0,
    sent: 0,
    idle: 0,
    quiet: 0,
    ready: false,
    closed: false,
  };
  sessions.set(peer, session);
  socket.on('message', (msg) => onTransferMessage(session, msg));
  // A connected UDP socket reports the client's ICMP port unreachable as an error: the client is gone.
  socket.on('error', () => endSession(session));
  // A new TID (RFC 1350 section 4) on loopback; connected, so each send skips node's address lookup
  // and the kernel drops datagrams from any other port.
  socket.bind(0, HOST);
  socket.connect(clientPort, address, () => {
    if (session.closed) return;
    session.ready = true;
    if (window !== undefined && window > 1) {
      socket.setRecvBufferSize(WINDOWED_BUFFER_BYTES);
      socket.setSendBufferSize(WINDOWED_BUFFER_BYTES);
    }
    if (oack) socket.send(oack);
    else pump(session);
  });
}

/** ACK of the last block received in order (ACK 0 before DATA 1), from the session's one buffer. */
function sendAck(session) {
  const block = (session.expected - 1) & 0xffff;
  session.ack[2] = block >> 8;
  session.ack[3] = block & 0xff;
  session.socket.send(session.ack);
}

function resendAck(session) {
  if (session.saved) return; // the final ACK went out; a lost one is answered when the DATA repeats
  if (session.oack && session.expected === 1) session.socket.send(session.oack);
  else sendAck(session);
}

// The upload hot path: one DATA in, one ACK out; the payload is kept as node:dgram handed it over.
function onUploadMessage(session, msg) {
  if (msg.length < 4 || msg[0] !== 0) return;
  if (msg[1] === 5) return endSession(session);
  if (msg[1] !== 3) return;
  if (session.saved || ((msg[2] << 8) | msg[3]) !== (session.expected & 0xffff)) return sendAck(session);
  const payload = msg.subarray(4);
  session.chunks.push(payload);
  session.expected++;
  session.idle = 0;
  session.quiet = 0;
  if (payload.length === session.blksize) return sendAck(session);
  try {
    writeFileSync(session.path, Buffer.concat(session.chunks));
  } catch {
    session.socket.send(errorPacket(3, 'cannot write the file'));
    return endSession(session);
  }
  session.chunks = [];
  session.saved = true;
  sendAck(session); // the session stays (re-acknowledging a repeat) until the idle timer ends it
}

function startUpload(peer, address, clientPort, name, options) {
  const blksize = blksizeFor(options);
  const granted = [];
  if (blksize !== undefined) granted.push('blksize', String(blksize));
  if (options.has('tsize')) granted.push('tsize', options.get('tsize'));
  const oack =
    granted.length === 0
      ? undefined
      : Buffer.concat([Buffer.from([0, 6]), Buffer.from(`${granted.join('\0')}\0`, 'latin1')]);
  const socket = createSocket('udp4');
  // expected: the next block (counted from 1, never wrapped); chunks: payloads kept until the end.
  const session = {
    peer,
    socket,
    upload: true,
    path: join(root, name),
    blksize: blksize ?? 512,
    oack,
    ack: Buffer.from([0, 4, 0, 0]),
    expected: 1,
    chunks: [],
    saved: false,
    idle: 0,
    quiet: 0,
    ready: false,
    closed: false,
  };
  sessions.set(peer, session);
  socket.on('message', (msg) => onUploadMessage(session, msg));
  socket.on('error', () => endSession(session));
  socket.bind(0, HOST);
  socket.connect(clientPort, address, () => {
    if (session.closed) return;
    session.ready = true;
    if (oack) socket.send(oack);
    else sendAck(session);
  });
}

const listener = createSocket('udp4');
listener.on('message', (msg, rinfo) => {
  const peer = `${rinfo.address}:${rinfo.port}`;
  const existing = sessions.get(peer);
  if (existing) return resend(existing);
  const request = parseRequest(msg);
  if (request.error) return listener.send(errorPacket(...request.error), rinfo.port, rinfo.address);
  if (request.upload) return startUpload(peer, rinfo.address, rinfo.port, request.name, request.options);
  startSession(peer, rinfo.address, rinfo.port, request.name, request.options);
});
listener.on('error', (error) => {
  console.error(`node-floor: ${error.message}`);
  process.exit(1);
});
listener.bind(port, HOST, () => console.log(`listening on ${HOST}:${port}`));

setInterval(() => {
  for (const session of sessions.values()) {
    if (++session.idle >= GIVE_UP_TICKS) endSession(session);
    else if (++session.quiet >= RESEND_TICKS) {
      session.quiet = 1;
      resend(session);
    }
  }
}, TICK_MS);
