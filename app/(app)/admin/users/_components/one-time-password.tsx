import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** A generated password, shown this once: it is not stored in the clear anywhere. */
export function OneTimePassword({ secret, email }: { secret: string; email: string }) {
  return (
    <OneTimeSecret
      title="New password: copy it now"
      explanation="It is shown only this once. Hand it to the account holder yourself; they can change it under “Your account”."
      secret={secret}
      copyLabel="Copy password"
    >
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[6rem_1fr]">
        <dt className="font-medium">Email</dt>
        <dd className="break-all font-mono">{email}</dd>
        <dt className="font-medium">Password</dt>
        <dd>
          <code className="select-all break-all rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-amber-300">{secret}</code>
        </dd>
      </dl>
    </OneTimeSecret>
  );
}
