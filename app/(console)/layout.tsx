import { redirect } from "next/navigation";
import { currentUser } from "@/app/_lib/session";
import { TRPCReactProvider } from "@/app/_lib/trpc/react";
import { ConsoleShell } from "./_components/console-shell";

export const dynamic = "force-dynamic";

/** Every console page requires a session; the shell gives the region/project selector and navigation. */
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <TRPCReactProvider>
      <ConsoleShell user={user}>{children}</ConsoleShell>
    </TRPCReactProvider>
  );
}
