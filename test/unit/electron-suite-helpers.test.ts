// The Electron suites' own checks run only where Electron does; what they rely on to judge a quit
// (no process left with the profile, the port released) is proven here on real processes and sockets.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appEnv,
  highUdpPort,
  isAlive,
  makeProfile,
  packagedExecutable,
  processesOfProfile,
  removeProfile,
  udpPortFree,
  type Profile,
} from '../electron/helpers/desktop-app.js';

let profile: Profile | undefined;
afterEach(async () => {
  await removeProfile(profile);
  profile = undefined;
});

describe('the Electron suites’ profile', () => {
  it('holds settings that serve its own folder on loopback', async () => {
    profile = await makeProfile({ port: 34567 });
    expect(JSON.parse(await readFile(profile.settingsFile, 'utf8'))).toEqual({
      root: profile.root,
      hosts: ['127.0.0.1'],
      autoStart: false,
      port: 34567,
    });
    expect(existsSync(profile.root) && existsSync(profile.home)).toBe(true);
    const env = appEnv(profile);
    expect(env.TFTP_DESK_USER_DATA).toBe(profile.userData);
    if (process.platform === 'linux') expect(env.HOME).toBe(profile.home);
    await removeProfile(profile);
    expect(existsSync(profile.dir)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')(
    'finds a live process that carries the profile, and no longer once it exits',
    async () => {
      profile = await makeProfile({});
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
        env: appEnv(profile),
        stdio: 'ignore',
      });
      try {
        await new Promise((resolve) => child.once('spawn', resolve));
        expect(processesOfProfile(profile)).toEqual([child.pid]);
        expect(isAlive(child.pid!)).toBe(true);
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => child.once('exit', resolve));
      expect(processesOfProfile(profile)).toEqual([]);
      expect(isAlive(child.pid!)).toBe(false);
    },
  );
});

describe('udpPortFree', () => {
  it('is false while a socket holds the port and true once it is closed', async () => {
    const port = await highUdpPort();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    expect(await udpPortFree(port)).toBe(false);
    await new Promise<void>((resolve) => socket.close(resolve));
    expect(await udpPortFree(port)).toBe(true);
  });
});

describe('packagedExecutable', () => {
  it('takes TFTP_DESK_PACKAGED_APP, and nothing when it names no file', () => {
    const saved = process.env.TFTP_DESK_PACKAGED_APP;
    try {
      process.env.TFTP_DESK_PACKAGED_APP = process.execPath;
      expect(packagedExecutable()).toBe(process.execPath);
      process.env.TFTP_DESK_PACKAGED_APP = `${process.execPath}-missing`;
      expect(packagedExecutable()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.TFTP_DESK_PACKAGED_APP;
      else process.env.TFTP_DESK_PACKAGED_APP = saved;
    }
  });
});
