import Link from "next/link";
import { Fragment, type ReactNode } from "react";

/** A details page's title with the way back as links: "Load Balancers / elb-1 / listener-1" (the last, `current`, plain). */
export function Breadcrumbs({ trail, current }: { trail: readonly { href: string; label: ReactNode }[]; current: ReactNode }) {
  return (
    <>
      {trail.map((crumb) => (
        <Fragment key={crumb.href}>
          <Link href={crumb.href} className="text-slate-400 hover:text-brand">
            {crumb.label}
          </Link>{" "}
          /{" "}
        </Fragment>
      ))}
      {current}
    </>
  );
}
