"use client";

import { type ChangeEvent, type FormEvent, Suspense, lazy, useEffect, useRef, useState } from "react";
import type { UploadLimits } from "@/lib/orders/uploads";
import type { Sent, UploadTarget } from "./direct-upload-send";
import type { Progress } from "./upload-lists";

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

/** File inputs already looked at for files chosen before the page's script ran (once each). */
const seenInputs = new WeakSet<HTMLInputElement>();

/** The lists of files being sent and sent (upload-lists.tsx), shown once there are any. */
const lists = () => import("./upload-lists");
const UploadLists = lazy(() => lists().then((m) => ({ default: m.UploadLists })));
/** The checks and the sending (direct-upload-send.ts), and the lists that show them, loaded when files are first chosen or sent. */
const sender = () => Promise.all([import("./direct-upload-send"), lists()]).then(([send]) => send);

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
    let done: Sent[] = [];
    try {
      const { firstProblem, sendFiles } = await sender();
      const found = await firstProblem(files, limits);
      if (found) {
        setProblem(found);
        input.focus();
        return;
      }
      setProgress(files.map((f) => ({ name: f.name, sent: 0, size: f.size })));
      const outcome = await sendFiles(files, where, (i, bytes) => setProgress((p) => p.map((x, j) => (j === i ? { ...x, sent: bytes } : x))));
      done = outcome.done;
      if (outcome.problem) {
        setProblem(outcome.problem);
        input.focus();
        return;
      }
      // The files are in storage: the form now names them instead of carrying them.
      input.value = "";
      submitWhenRendered.current = true;
    } catch {
      setProblem("The page could not load what sends files: check your connection and try again");
    } finally {
      setBusy(false);
      setProgress([]);
      // Files that made it stay sent even when a later one failed: they are not sent again.
      if (done.length) setSent((s) => [...s, ...done]);
    }
  }

  const remove = (id: string) => setSent((s) => s.filter((x) => x.id !== id));
  const check = (files: File[]) => void sender().then(({ firstProblem }) => firstProblem(files, limits)).then(setProblem, () => setProblem(null));

  return {
    problem,
    sent,
    busy,
    formRef,
    onChange: (event: ChangeEvent<HTMLInputElement>) => check(Array.from(event.currentTarget.files ?? [])),
    /** The file input's ref: files chosen before the page's script ran (no event React saw) are checked once it runs. */
    inputRef: (input: HTMLInputElement | null) => {
      if (!input || seenInputs.has(input)) return;
      seenInputs.add(input);
      if (input.files?.length) check(Array.from(input.files));
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
        {(progress.length > 0 || sent.length > 0) && (
          // Shown only once files are chosen and sent: their code loads then (issue 17's JS budget).
          <Suspense fallback={null}>
            <UploadLists progress={progress} sent={sent} remove={remove} />
          </Suspense>
        )}
        <p className="sr-only" role="status" aria-live="polite">
          {busy ? `Sending ${progress.map((p) => p.name).join(", ")}` : ""}
        </p>
      </>
    ),
  };
}
