// The TFTP client's front (re-exported by index.ts): push a file to a server, pull one from it.
// RFC 1350, 2347-2349 and 7440 from the client's side; the modules behind it cite the sections.
export { tftpGet } from './client-get.js';
export { tftpPut } from './client-put.js';
export { CLIENT_DEFAULTS, type ClientTransferOptions } from './client-args.js';
export { TftpClientError, isTftpClientError } from './client-errors.js';
