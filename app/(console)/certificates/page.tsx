import { CertificateList } from "./_components/certificate-list";

/** Certificates (guide chapter 6): server and CA certificates for HTTPS listeners. */
export default function CertificatesPage() {
  return <CertificateList />;
}
