// The UDP ports the boot services use. Always 67, 68 and 4011 for devices; tests of the app on
// loopback move them to high ports with TFTP_DESK_DHCP_PORTS=server,client[,proxy], so nothing
// needs root and nothing answers a real DHCP client.
export interface DhcpPorts {
  server: number;
  client: number;
  proxy: number;
}

const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/**
 * The ports from the environment, or undefined for the standard ones. Throws for a value it cannot
 * use: falling back to the real ports would be the one wrong guess.
 */
export function dhcpPortsFromEnv(env: NodeJS.ProcessEnv = process.env): DhcpPorts | undefined {
  const text = env.TFTP_DESK_DHCP_PORTS;
  if (text === undefined || text.trim() === '') return undefined;
  const parts = text.split(',').map((p) => (/^\s*\d{1,5}\s*$/.test(p) ? Number(p) : NaN));
  const [server, client, proxy = 4011] = parts;
  if (
    server === undefined ||
    client === undefined ||
    parts.length > 3 ||
    ![server, client, proxy].every(isPort)
  )
    throw new Error(
      `TFTP_DESK_DHCP_PORTS must be SERVER,CLIENT[,PROXY] UDP ports, not "${text.slice(0, 40)}".`,
    );
  return { server, client, proxy };
}
