"use client";

import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from "react";
import { SNIFF_BYTES, type UploadLimits, directUploadProblem, formatBytes, sniffType, wrongTypeMessage } from "@/lib/orders/uploads";

/**
 * Files straight from the browser to storage (decision 021), for a form whose file input is named
 * `attachments`. With the page's script, pressing the form's button first checks each chosen file
 * (size, and type by its first bytes: a wrong one is named beside the field and nothing is sent),
 * asks POST /orders/uploads for a signed URL per file, sends the file there with its progress
 * shown, and then submits the form with the uploads' ids (`uploads`) instead of the files. A file
 * sent once is not sent again: if the form is refused (another field, a conflict), the ids stay
 * and go with the next try. Without script, the form posts its files itself (within the request
 * limit), and the server stores them.
 */

export type UploadTarget = { orderId: number } | { storeId: number };

type Sent = { id: string; name: string; size: number };
type Progress = { name: string; sent: number; size: number };

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

async function firstProblem(files: File[], limits: UploadLimits): Promise<string | null> {
  const problem = directUploadProblem(files, limits);
  if (problem) return problem;
  for (const file of files) {
    if (!sniffType(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()))) return wrongTypeMessage(file.name);
  }
  return null;
}

/**
 * `target(form)` says where the files go when the form is sent (the order, or the store chosen
 * in the form). `result` is the form action's latest answer: once one is ok, the ids were used.
 */
export function useDirectUpload({ limits, target, result }: { limits: UploadLimits; target: (form: HTMLFormElement) => UploadTarget | null; result: { ok?: boolean } }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<Sent[]>([]);
  const [progress, setProgress] = useState<Progress[]>([]);
  const [busy, setBusy] = useState(false);
  const [answered, setAnswered] = useState(result);
  const formRef = useRef<HTMLFormElement | null>(null);
  const submitWhenRendered = useRef(false);

  // A new answer from the form's action: when it succeeded, its uploads are attached and belong
  // to the order now (adjusted while rendering, React's way for state that follows a prop).
  if (result !== answered) {
    setAnswered(result);
    if (result.ok) setSent([]);
  }

  // Once the new ids are in the form, send it as the person asked.
  useEffect(() => {
    if (!submitWhenRendered.current) return;
    submitWhenRendered.current = false;
    formRef.current?.requestSubmit();
  }, [sent]);

  const inputOf = (form: HTMLFormElement) => {
    const input = form.elements.namedItem("attachments");
    return input instanceof HTMLInputElement ? input : null;
  };

  async function upload(form: HTMLFormElement, input: HTMLInputElement, files: File[]) {
    const where = target(form);
    if (!where) {
      setProblem("Choose the store first");
      return;
    }
    setBusy(true);
    setProblem(null);
    const done: Sent[] = [];
    try {
      const found = await firstProblem(files, limits);
      if (found) {
        setProblem(found);
        input.focus();
        return;
      }
      setProgress(files.map((f) => ({ name: f.name, sent: 0, size: f.size })));
      for (const [i, file] of files.entries()) {
        const asked = await fetch("/orders/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...where, filename: file.name, size: file.size }) }).catch(() => null);
        const answer = (await asked?.json().catch(() => null)) as { id?: string; url?: string; headers?: Record<string, string>; formError?: string; fieldErrors?: Record<string, string[]> } | null;
        if (!asked?.ok || !answer?.id || !answer.url) {
          setProblem(answer?.fieldErrors?.attachments?.[0] ?? answer?.formError ?? `${file.name} could not be sent: check your connection and try again`);
          input.focus();
          return;
        }
        const status = await put(answer.url, answer.headers ?? {}, file, (bytes) => setProgress((p) => p.map((x, j) => (j === i ? { ...x, sent: bytes } : x))));
        if (status < 200 || status > 299) {
          setProblem(`${file.name} could not be sent (${status || "no answer"}): check your connection and try again`);
          input.focus();
          return;
        }
        setProgress((p) => p.map((x, j) => (j === i ? { ...x, sent: x.size } : x)));
        done.push({ id: answer.id, name: file.name, size: file.size });
      }
      // The files are in storage: the form now names them instead of carrying them.
      input.value = "";
      submitWhenRendered.current = true;
    } finally {
      setBusy(false);
      setProgress([]);
      // Files that made it stay sent even when a later one failed: they are not sent again.
      if (done.length) setSent((s) => [...s, ...done]);
    }
  }

  const remove = (id: string) => setSent((s) => s.filter((x) => x.id !== id));

  return {
    problem,
    sent,
    busy,
    formRef,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const files = Array.from(event.currentTarget.files ?? []);
      setProblem(directUploadProblem(files, limits));
      void firstProblem(files, limits).then(setProblem);
    },
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      const form = event.currentTarget;
      formRef.current = form;
      const input = inputOf(form);
      const files = Array.from(input?.files ?? []);
      if (busy) return void event.preventDefault();
      if (!input || !files.length) return;
      event.preventDefault();
      void upload(form, input, files);
    },
    /** The ids the form sends, and what is on its way, for the page. */
    view: (
      <>
        {sent.map((s) => (
          <input key={s.id} type="hidden" name="uploads" value={s.id} />
        ))}
        {progress.length > 0 && (
          <ul className="space-y-1 text-sm" aria-label="Files being sent">
            {progress.map((p) => {
              const percent = p.size ? Math.floor((p.sent / p.size) * 100) : 100;
              return (
                <li key={p.name} className="flex flex-wrap items-center gap-2">
                  <span className="min-w-0 break-all">{p.name}</span>
                  <progress className="h-2 w-40 max-w-full" max={100} value={percent} aria-label={`Sending ${p.name}`} />
                  <span className="tabular-nums text-slate-600">{percent} %</span>
                </li>
              );
            })}
          </ul>
        )}
        {sent.length > 0 && (
          <ul className="space-y-1 text-sm" aria-label="Files sent, to be attached">
            {sent.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2">
                <span className="min-w-0 break-all">
                  {s.name} · {formatBytes(s.size)} · sent
                </span>
                <button type="button" className="text-indigo-700 underline" onClick={() => remove(s.id)}>
                  Remove {s.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="sr-only" role="status" aria-live="polite">
          {busy ? `Sending ${progress.map((p) => p.name).join(", ")}` : ""}
        </p>
      </>
    ),
  };
}
