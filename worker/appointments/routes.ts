import { createRoute, z } from "@hono/zod-openapi";
import { Appointment, Schedule } from "../field/shapes";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { getSchedule } from "./schedule";
import {
  AppointmentCancelInput,
  AppointmentCompleteInput,
  AppointmentCreateInput,
  AppointmentListQuery,
  AppointmentParams,
  AppointmentPatchInput,
  AppointmentProgressInput,
  ScheduleQuery,
} from "./schemas";
import {
  cancelAppointment,
  completeAppointment,
  createAppointment,
  getAppointment,
  listAppointments,
  markEnRoute,
  startAppointment,
  updateAppointment,
} from "./service";

const tags = ["appointments"];
const writeErrors = {
  ...errorResponses,
  409: { ...errorResponses[400], description: "Not possible in the appointment's or job's current status" },
};
/** The technician's buttons may post without a body. */
const optionalBody = <T extends z.ZodType>(schema: T) => ({
  required: false,
  content: { "application/json": { schema } },
});

export const appointmentsRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/appointments",
      tags,
      summary:
        "Appointments by start, those overlapping from..to (days read in the org's time zone); a technician sees only their own",
      request: { params: OrgParams, query: AppointmentListQuery },
      responses: { 200: jsonContent(z.object({ appointments: z.array(Appointment) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:view");
      return c.json({ appointments: await listAppointments(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/appointments",
      tags,
      summary:
        "Schedule a visit of a job (2 hours unless said) for one or more technicians; the job's first open appointment moves it to SCHEDULED. Answers with its warnings (double booking, certification), which never block.",
      request: { params: OrgParams, body: jsonBody(AppointmentCreateInput) },
      responses: { 201: jsonContent(Appointment, "Scheduled"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:manage");
      return c.json(await createAppointment(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/appointments/{appointmentId}",
      tags,
      summary: "One appointment with its current warnings",
      request: { params: AppointmentParams },
      responses: { 200: jsonContent(Appointment), ...errorResponses },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:view");
      return c.json(await getAppointment(scope, appointmentId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/appointments/{appointmentId}",
      tags,
      summary: "Reschedule or reassign, while SCHEDULED or EN_ROUTE",
      request: { params: AppointmentParams, body: jsonBody(AppointmentPatchInput) },
      responses: { 200: jsonContent(Appointment), ...writeErrors },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:manage");
      return c.json(await updateAppointment(scope, appointmentId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/appointments/{appointmentId}/en-route",
      tags,
      summary: "On my way (an assigned technician): SCHEDULED → EN_ROUTE; a note is kept on the job",
      request: { params: AppointmentParams, body: optionalBody(AppointmentProgressInput) },
      responses: { 200: jsonContent(Appointment), ...writeErrors },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "appointments:work-own");
      return c.json(await markEnRoute(scope, appointmentId, c.req.valid("json") ?? {}), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/appointments/{appointmentId}/start",
      tags,
      summary: "Start (an assigned technician), from SCHEDULED or EN_ROUTE: the job goes IN_PROGRESS",
      request: { params: AppointmentParams, body: optionalBody(AppointmentProgressInput) },
      responses: { 200: jsonContent(Appointment), ...writeErrors },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "appointments:work-own");
      return c.json(await startAppointment(scope, appointmentId, c.req.valid("json") ?? {}), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/appointments/{appointmentId}/complete",
      tags,
      summary:
        "Complete (an assigned technician), from IN_PROGRESS: the job completes unless jobComplete is false or another appointment is open",
      request: { params: AppointmentParams, body: optionalBody(AppointmentCompleteInput) },
      responses: { 200: jsonContent(Appointment), ...writeErrors },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "appointments:work-own");
      return c.json(await completeAppointment(scope, appointmentId, c.req.valid("json") ?? {}), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/appointments/{appointmentId}/cancel",
      tags,
      summary:
        "Cancel an appointment that is not finished; the job stays (back to PENDING when nothing else is planned and it had not started)",
      request: { params: AppointmentParams, body: optionalBody(AppointmentCancelInput) },
      responses: { 200: jsonContent(Appointment), ...writeErrors },
    }),
    async (c) => {
      const { orgId, appointmentId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:manage");
      return c.json(await cancelAppointment(scope, appointmentId, c.req.valid("json") ?? {}), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/schedule",
      tags: ["schedule"],
      summary:
        "The schedule board: technicians, the appointments overlapping from..to (at most 14 days; today in the org's time zone by default) and the open jobs no open appointment holds",
      request: { params: OrgParams, query: ScheduleQuery },
      responses: { 200: jsonContent(Schedule), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "appointments:view-all");
      return c.json(await getSchedule(scope, c.req.valid("query")), 200);
    },
  );
