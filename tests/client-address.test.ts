import { type IncomingHttpHeaders, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { UNKNOWN_ADDRESS, addressFromHops, clientAddress, installSocketAddressHook, normalizeAddress } from "@/lib/auth/client-address";

/**
 * The client's address (decision 016): the socket's, or the hop a trusted proxy appended, never
 * one the client wrote itself.
 */

describe("the hop that counts", () => {
  test("no trusted proxy (0 hops): the socket's address, whatever X-Forwarded-For claims", () => {
    expect(addressFromHops(["127.0.0.1"], "203.0.113.9", 0)).toBe("203.0.113.9");
    expect(addressFromHops(["10.0.0.1", "10.0.0.2"], "203.0.113.9", 0)).toBe("203.0.113.9");
    expect(addressFromHops([], "203.0.113.9", 0)).toBe("203.0.113.9");
  });

  test("one trusted proxy: the entry it appended (the right-most), never the left-most the client wrote", () => {
    expect(addressFromHops(["127.0.0.1", "198.51.100.7"], "10.0.0.2", 1)).toBe("198.51.100.7");
    expect(addressFromHops(["198.51.100.7"], "10.0.0.2", 1)).toBe("198.51.100.7");
    // Vercel, where the socket may go unseen: Vercel's proxy writes X-Forwarded-For itself.
    expect(addressFromHops(["198.51.100.7"], null, 1)).toBe("198.51.100.7");
    expect(addressFromHops(["1.2.3.4", "198.51.100.7"], null, 1)).toBe("198.51.100.7");
    // Two proxies: the first one's entry.
    expect(addressFromHops(["1.2.3.4", "198.51.100.7", "10.0.0.5"], "10.0.0.6", 2)).toBe("198.51.100.7");
  });

  test("a request that came round the proxy has a shorter chain: its left-most entry, which no client wrote", () => {
    expect(addressFromHops([], "203.0.113.9", 1)).toBe("203.0.113.9");
  });

  test("a socket the hook did not see is unknown, never the client's claim", () => {
    expect(addressFromHops(["127.0.0.1"], null, 0)).toBe(UNKNOWN_ADDRESS);
    expect(addressFromHops([], null, 0)).toBe(UNKNOWN_ADDRESS);
  });

  test("one spelling per address, and anything that is no IP address is unknown", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("203.0.113.9:51234")).toBe("203.0.113.9");
    for (const junk of ["unknown", "localhost", "a".repeat(300), "1.2.3.4.5", "", "'; drop table accounts; --"]) expect(normalizeAddress(junk)).toBe(UNKNOWN_ADDRESS);
  });
});

describe("the socket hook, on a real HTTP server", () => {
  let port: number;
  let seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.end(JSON.stringify({ zero: clientAddress(toHeaders(req.headers), 0), one: clientAddress(toHeaders(req.headers), 1) }));
  });
  beforeAll(async () => {
    installSocketAddressHook();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const toHeaders = (h: IncomingHttpHeaders) => new Headers(Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));

  /** A request from a given local address (Linux routes all of 127.0.0.0/8 to the loopback). */
  const from = (localAddress: string, headers: Record<string, string>) =>
    new Promise<{ zero: string; one: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, localAddress, headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(JSON.parse(body)));
      });
      req.on("error", reject);
      req.end();
    });

  test("the address is the socket's: neither X-Forwarded-For nor a forged copy of the hook's header moves it", async () => {
    seen = [];
    expect(await from("127.0.0.23", {})).toEqual({ zero: "127.0.0.23", one: "127.0.0.23" });
    expect(await from("127.0.0.24", { "x-forwarded-for": "127.0.0.1" })).toEqual({ zero: "127.0.0.24", one: "127.0.0.1" });
    expect(await from("127.0.0.25", { "x-makeline-socket-address": "anything 10.9.8.7", "x-forwarded-for": "10.9.8.6" })).toEqual({ zero: "127.0.0.25", one: "10.9.8.6" });
    expect(seen[2]["x-makeline-socket-address"]).not.toContain("10.9.8.7");
  });
});
