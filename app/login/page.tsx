import { redirect } from "next/navigation";
import { currentUser } from "@/app/_lib/session";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

/** The login page; signed-in users go straight to the console. */
export default async function LoginPage() {
  if (await currentUser()) redirect("/load-balancers");
  return (
    <div className="flex min-h-full items-center justify-center bg-shell">
      <LoginForm />
    </div>
  );
}
