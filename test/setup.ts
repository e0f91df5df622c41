/**
 * Loaded before every test file: no test may reach anything but this machine. A connection
 * to any other host fails at once, naming the host, instead of hanging or reaching Google.
 */
import net from "node:net";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host =
    typeof first === "object" && first !== null ? (first.host ?? (first.path ? "localhost" : undefined)) : typeof args[1] === "string" ? args[1] : "localhost";
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`Test tried to connect to ${host}: tests may only reach loopback addresses.`);
  }
  return connect.apply(this, args as never);
} as typeof connect;
