import { SNIFF_BYTES, type UploadLimits, directUploadProblem, sniffType, wrongTypeMessage } from "@/lib/orders/uploads";

/**
 * The part of a direct upload (direct-upload.tsx) that runs only once files are chosen: checking
 * them, asking for signed URLs and sending them. Loaded then, so a page with a file field carries
 * none of it until it is used.
 */

export type UploadTarget = { orderId: number } | { storeId: number };
export type Sent = { id: string; name: string; size: number };

/** Sends one file to its signed URL, reporting bytes sent. Resolves with the HTTP status (0: no answer). */
function put(url: string, headers: Record<string, string>, file: File, onProgress: (sent: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => resolve(0);
    xhr.onabort = () => resolve(0);
    xhr.send(file);
  });
}

/** The first way these files cannot be sent (count, size, or content that is not an accepted type); null when they can. */
export async function firstProblem(files: File[], limits: UploadLimits): Promise<string | null> {
  const problem = directUploadProblem(files, limits);
  if (problem) return problem;
  for (const file of files) {
    if (!sniffType(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()))) return wrongTypeMessage(file.name);
  }
  return null;
}

/**
 * Sends the files one by one, each after POST /orders/uploads names its signed URL. Stops at the
 * first that fails; the ones sent before it are in `done` either way.
 */
export async function sendFiles(files: File[], where: UploadTarget, onProgress: (index: number, sent: number) => void): Promise<{ done: Sent[]; problem: string | null }> {
  const done: Sent[] = [];
  for (const [i, file] of files.entries()) {
    const asked = await fetch("/orders/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...where, filename: file.name, size: file.size }) }).catch(() => null);
    const answer = (await asked?.json().catch(() => null)) as { id?: string; url?: string; headers?: Record<string, string>; formError?: string; fieldErrors?: Record<string, string[]> } | null;
    if (!asked?.ok || !answer?.id || !answer.url) {
      return { done, problem: answer?.fieldErrors?.attachments?.[0] ?? answer?.formError ?? `${file.name} could not be sent: check your connection and try again` };
    }
    const status = await put(answer.url, answer.headers ?? {}, file, (bytes) => onProgress(i, bytes));
    if (status < 200 || status > 299) return { done, problem: `${file.name} could not be sent (${status || "no answer"}): check your connection and try again` };
    onProgress(i, file.size);
    done.push({ id: answer.id, name: file.name, size: file.size });
  }
  return { done, problem: null };
}
