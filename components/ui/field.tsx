import type { ReactNode } from "react";

/** A labelled form control with its help and error text wired up for screen readers. */
export function Field({
  id,
  label,
  required,
  help,
  errors,
  children,
}: {
  id: string;
  label: string;
  required?: boolean;
  help?: string;
  errors?: string[];
  children: ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required && (
          <span className="ml-0.5 text-rose-600" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {children}
      {help && (
        <p id={`${id}-help`} className="text-xs text-slate-500">
          {help}
        </p>
      )}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="text-sm text-rose-700">
      {errors.join(" ")}
    </p>
  );
}

/** aria attributes for a control inside <Field>. */
export const describedBy = (id: string, opts: { help?: string; errors?: string[] }) => ({
  "aria-invalid": opts.errors?.length ? true : undefined,
  "aria-describedby": [opts.help && `${id}-help`, opts.errors?.length && `${id}-error`].filter(Boolean).join(" ") || undefined,
});

/** A text, number, date or select control's look: a class of app/globals.css ("Form controls and buttons"). */
export const inputClass = "field-input";

/** Where a form sends a person whose session ended: sign-in in a new tab, which lands on /signed-in. */
export const signInAgainHref = `/sign-in?callbackUrl=${encodeURIComponent("/signed-in")}`;

/**
 * The session ended while the form was open: the form and what was typed stay on this page, and
 * sign-in opens in a new tab, so that pressing `retry` again afterwards saves it.
 */
export function SignedOutNotice({ retry = "the button" }: { retry?: string }) {
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">
        You were signed out —{" "}
        <a href={signInAgainHref} target="_blank" rel="noopener" className="underline">
          sign in again (opens a new tab)
        </a>
        , then press {retry}.
      </p>
      <p>Nothing was saved yet, and what you typed is still here.</p>
    </div>
  );
}

export function FormMessage({ error, success, signedOut, retry }: { error?: string; success?: string; signedOut?: boolean; retry?: string }) {
  if (signedOut) return <SignedOutNotice retry={retry} />;
  if (error) {
    return (
      <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
        {error}
      </div>
    );
  }
  if (success) {
    return (
      <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {success}
      </div>
    );
  }
  return null;
}
