import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { InAppNavigation } from "@/components/in-app-navigation";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Makeline", template: "%s · Makeline" },
  description: "Make-to-order manufacturing, from store order to delivery.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts),
  // which a page prerendered at build time could not.
  await connection();
  return (
    // The system's own fonts: nothing to download before the first words show (two web fonts
    // were 142 kB and most of a phone's Largest Contentful Paint).
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <InAppNavigation />
      </body>
    </html>
  );
}
