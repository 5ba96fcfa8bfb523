// What a user reads when port 69 is refused: on Linux, the exact commands that let this program
// bind it, for the program that is actually running (node for the CLI, the app's own binary in the
// desktop app, nothing to grant inside an AppImage), worded the same for TFTP, DHCP and syslog.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { privilegeHint } from '../../electron/dhcp/port-errors.js';
import { permissionHint } from '../../electron/syslog/bind-errors.js';
import { bindErrorState, currentProgram, privilegedPortHint } from '../../electron/tftp/server-errors.js';

const DEB_APP = { execPath: '/opt/TFTP Desk/tftp-desk', electron: true };

describe('privilegedPortHint on Linux', () => {
  it('tells the desktop app to grant its own binary the capability and list its library folder', () => {
    const hint = privilegedPortHint(69, 'linux', DEB_APP);
    expect(hint).toContain(`"sudo setcap cap_net_bind_service=+ep '/opt/TFTP Desk/tftp-desk'"`);
    expect(hint).toContain(
      `"echo '/opt/TFTP Desk' | sudo tee /etc/ld.so.conf.d/tftp-desk.conf && sudo ldconfig"`,
    );
    expect(hint).toContain('Then restart TFTP Desk. Or use 6969.');
  });

  it('names node for the CLI, and says the grant reaches every script it runs', () => {
    const hint = privilegedPortHint(69, 'linux', { execPath: '/usr/bin/node', electron: false });
    expect(hint).toContain(`"sudo setcap cap_net_bind_service=+ep '/usr/bin/node'"`);
    expect(hint).toContain('every script that program runs gets it');
    expect(hint).not.toContain('ldconfig');
  });

  it('offers no capability inside an AppImage, and points at the .deb instead', () => {
    const hint = privilegedPortHint(69, 'linux', {
      execPath: '/tmp/.mount_tftp-dXyZ/tftp-desk',
      electron: true,
      appImage: '/home/me/tftp-desk.AppImage',
    });
    expect(hint).not.toContain('setcap');
    expect(hint).toMatch(/AppImage cannot be given them: use 6969, run it as root, or install the \.deb/);
  });

  it('quotes a path with a quote in it so the shell reads it as one word', () => {
    const execPath = "/home/o'brien/apps/tftp-desk";
    const hint = privilegedPortHint(69, 'linux', { execPath, electron: false });
    const command = /"sudo setcap cap_net_bind_service=\+ep (.+?)" \(/.exec(hint)?.[1];
    expect(command).toBeDefined();
    // the shell itself splits the quoted word: one argument, the path exactly
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });
    expect(words).toBe(`${execPath}\n`);
  });

  it('suggests a port above 1023 when the refused one is not 69', () => {
    expect(privilegedPortHint(514, 'linux', DEB_APP)).toContain('Or use a port above 1023, such as 6969.');
  });
});

describe('the hint in a refused start', () => {
  it('comes with the EACCES state for the program that is running', () => {
    const err = Object.assign(new Error('bind EACCES'), { code: 'EACCES' });
    const state = bindErrorState(err, '0.0.0.0', 69);
    expect(state).toMatchObject({ code: 'EACCES', message: 'Permission denied for port 69 on 0.0.0.0:69.' });
    expect(state.hint).toBe(privilegedPortHint(69));
    expect(currentProgram()).toEqual({ execPath: process.execPath, electron: false });
  });
});

describe('DHCP and syslog give the same Linux advice for the program that runs', () => {
  it('the desktop app is told to list its library folder for DHCP and syslog too', () => {
    for (const hint of [privilegeHint('linux', DEB_APP), permissionHint(514, 'linux', DEB_APP)]) {
      expect(hint).toContain(`"sudo setcap cap_net_bind_service=+ep '/opt/TFTP Desk/tftp-desk'"`);
      expect(hint).toContain(
        `"echo '/opt/TFTP Desk' | sudo tee /etc/ld.so.conf.d/tftp-desk.conf && sudo ldconfig"`,
      );
    }
    expect(permissionHint(514, 'linux', DEB_APP)).toContain('Or use port 1514 and point the devices there.');
  });

  it('inside an AppImage, no capability is offered for DHCP either', () => {
    const hint = privilegeHint('linux', {
      execPath: '/tmp/.mount_x/tftp-desk',
      electron: true,
      appImage: '/a',
    });
    expect(hint).not.toContain('setcap');
    expect(hint).toMatch(/AppImage cannot be given them: run it as root, or install the \.deb/);
  });

  it('macOS: all interfaces need no root, one address does', () => {
    expect(privilegedPortHint(69, 'darwin')).toMatch(/All interfaces.*sudo.*6969/);
  });
});
