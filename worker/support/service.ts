import { z } from "@hono/zod-openapi";
import { supportRequests } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { newId } from "../db";
import { sendMail } from "../mail";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";

export const SupportInput = z
  .strictObject({
    subject: z.string().trim().min(3, "Use at least 3 characters.").max(150),
    message: z.string().trim().min(10, "Tell us a little more (10 characters or more).").max(5000),
  })
  .openapi("SupportInput");

export async function createSupportRequest(scope: OrgScope, input: z.infer<typeof SupportInput>) {
  const { db } = scope;
  const request = { id: newId(), orgId: scope.org.id, userId: scope.user.id, ...input, createdAt: new Date() };
  await db.batch([
    db.insert(supportRequests).values(request),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "support.create",
      entityType: "support_request",
      entityId: request.id,
      after: request,
    }),
  ]);
  await sendMail(scope.env, {
    to: "support@refritrak.test",
    subject: `[support] ${input.subject}`,
    text: `From ${scope.user.name} <${scope.user.email}> (${scope.actor.role}) at ${scope.org.name}\n\n${input.message}`,
  });
  return { id: request.id, createdAt: request.createdAt.toISOString() };
}
