import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { selfServiceMutationProcedure } from "../../self-service-procedure";
import { changePasswordSchema, createUserSchema, updateUserSchema, userIdSchema } from "../../../services/user/user.schemas";
import { listUsers } from "../../../services/user/list-users";
import { createUser } from "../../../services/user/create-user";
import { updateUser } from "../../../services/user/update-user";
import { deleteUser } from "../../../services/user/delete-user";
import { changeOwnPassword } from "../../../services/user/change-password";

const trace = (name: string) => ({ trace: { name, resourceType: "user" } });

/** Console users (Settings > Users); passwords are redacted from the traces these write. */
export const userRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listUsers(ctx.service)),
  create: mutationProcedure
    .meta(trace("create user"))
    .input(createUserSchema)
    .mutation(({ ctx, input }) => createUser(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update user"))
    .input(updateUserSchema)
    .mutation(({ ctx, input }) => updateUser(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete user"))
    .input(userIdSchema)
    .mutation(({ ctx, input }) => deleteUser(ctx.service, input)),
  /** Change Password of the signed-in user: open to read-only users too; ends their other sessions. */
  changePassword: selfServiceMutationProcedure
    .meta(trace("change password"))
    .input(changePasswordSchema)
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.service, input)),
});
