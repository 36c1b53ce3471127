import type { CertificateView } from "@/server/services/certificate/certificate-view";

/** The Expiration Time warning: "Expires in N days" within 30 days, "Expired" after; nothing otherwise. */
export function ExpiryBadge({ certificate }: { certificate: Pick<CertificateView, "expiry" | "daysLeft"> }) {
  if (certificate.expiry === "valid") return null;
  const expired = certificate.expiry === "expired";
  const text = expired ? "Expired" : `Expires in ${certificate.daysLeft} day${certificate.daysLeft === 1 ? "" : "s"}`;
  return (
    <span role="status" className={`mt-1 block w-fit whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${expired ? "bg-red-50 text-red-700 ring-red-200" : "bg-amber-50 text-amber-800 ring-amber-200"}`}>
      {text}
    </span>
  );
}
