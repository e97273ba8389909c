import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP receiver on 127.0.0.1 for the webhook tests, the browser journey and the bench: it
 * records every request and answers by path (`/ok` 200, `/fail` 500, `/slow` never, `/redirect`
 * 302), or as `answer` says for a path.
 */
export type Received = { path: string; headers: IncomingHttpHeaders; body: string; at: number };

export async function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0];
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const status = answers.get(path) ?? (path.startsWith("/fail") ? 500 : path.startsWith("/redirect") ? 302 : 200);
      if (path.startsWith("/slow") && !answers.has(path)) return; // never answers: the sender times out
      res.writeHead(status, { "content-type": "text/plain", ...(status === 302 ? { location: "http://127.0.0.1:9/elsewhere" } : {}) });
      res.end(status >= 400 ? `receiver says ${status}: ${"x".repeat(2000)}` : "thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    /** Answer this status at this path from now on. */
    answer: (path: string, status: number) => answers.set(path, status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
