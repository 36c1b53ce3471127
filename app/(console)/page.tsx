import { redirect } from "next/navigation";

/** The console opens on the Load Balancers list. */
export default function ConsoleHome() {
  redirect("/load-balancers");
}
