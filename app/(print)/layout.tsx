/**
 * Pages made to be printed (the job travellers): no header or navigation, so the sheet is all
 * that prints. Each page still signs the person in and authorises for itself.
 */
export default function PrintLayout({ children }: { children: React.ReactNode }) {
  return <main id="main" className="min-h-screen bg-slate-100 py-6 print:bg-white print:py-0">{children}</main>;
}
