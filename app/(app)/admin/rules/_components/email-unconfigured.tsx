import { NO_PROVIDER_MESSAGE } from "@/lib/email/send";

/** Why no alert email leaves (production without a provider): said where the rules are. */
export function EmailUnconfiguredNotice() {
  return (
    <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900">
      Alert emails are not being sent. {NO_PROVIDER_MESSAGE} Alerts still appear in the app.
    </p>
  );
}
