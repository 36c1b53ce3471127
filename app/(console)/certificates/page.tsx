import { Card, PageHeader } from "@/app/_components/ui/status";

/** Certificates (guide chapter 6): not available yet; says so instead of showing made-up rows. */
export default function CertificatesPage() {
  return (
    <>
      <PageHeader title="Certificates" />
      <Card>
        <div className="py-10 text-center">
          <p className="text-base font-medium text-slate-700">Certificates arrive with HTTPS listeners</p>
          <p className="mx-auto mt-2 max-w-xl text-slate-500">
            Server and CA certificates are used by HTTPS listeners, which this console does not offer yet. When they do, you will add, modify and delete certificates here; until then there is
            nothing to manage.
          </p>
        </div>
      </Card>
    </>
  );
}
