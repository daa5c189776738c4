import { createRoute, z } from "@hono/zod-openapi";
import { Job, JobNote, JobSummary, Project, ProjectDetail } from "../field/shapes";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { createProject, getProject, listProjects, updateProject } from "./projects";
import {
  JobCreateInput,
  JobListQuery,
  JobNoteInput,
  JobParams,
  JobPatchInput,
  ProjectCreateInput,
  ProjectListQuery,
  ProjectParams,
  ProjectPatchInput,
} from "./schemas";
import { addJobNote, createJob, deleteJob, getJob, listJobNotes, listJobs, updateJob } from "./service";

const writeErrors = { ...errorResponses, 409: errorResponses[400] };

export const jobsRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/jobs",
      tags: ["jobs"],
      summary: "Jobs of the org, newest first (a technician: the jobs assigned to them)",
      request: { params: OrgParams, query: JobListQuery },
      responses: { 200: jsonContent(z.object({ jobs: z.array(JobSummary) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:view");
      return c.json({ jobs: await listJobs(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/jobs",
      tags: ["jobs"],
      summary: "Create a job (PENDING, numbered J-1001 onwards per org)",
      request: { params: OrgParams, body: jsonBody(JobCreateInput) },
      responses: { 201: jsonContent(Job, "Created"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:manage");
      const summary = await createJob(scope, c.req.valid("json"));
      return c.json(await getJob(scope, summary.id), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/jobs/{jobId}",
      tags: ["jobs"],
      summary: "One job with its units, notes, appointments and linked transfers",
      request: { params: JobParams },
      responses: { 200: jsonContent(Job), ...errorResponses },
    }),
    async (c) => {
      const { orgId, jobId } = c.req.valid("param");
      return c.json(await getJob(await requireOrgPermission(scopeOf(c), orgId, "jobs:view"), jobId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/jobs/{jobId}",
      tags: ["jobs"],
      summary: "Edit a job; complete it, cancel it (with its open appointments) or reopen it",
      request: { params: JobParams, body: jsonBody(JobPatchInput) },
      responses: { 200: jsonContent(Job), ...writeErrors },
    }),
    async (c) => {
      const { orgId, jobId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:manage");
      await updateJob(scope, jobId, c.req.valid("json"));
      return c.json(await getJob(scope, jobId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/jobs/{jobId}",
      tags: ["jobs"],
      summary: "Delete a job (soft); refused while an appointment is in progress",
      request: { params: JobParams },
      responses: { 204: { description: "Deleted" }, ...writeErrors },
    }),
    async (c) => {
      const { orgId, jobId } = c.req.valid("param");
      await deleteJob(await requireOrgPermission(scopeOf(c), orgId, "records:delete"), jobId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/jobs/{jobId}/notes",
      tags: ["jobs"],
      summary: "A job's notes, oldest first",
      request: { params: JobParams },
      responses: { 200: jsonContent(z.object({ notes: z.array(JobNote) })), ...errorResponses },
    }),
    async (c) => {
      const { orgId, jobId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:view");
      return c.json({ notes: await listJobNotes(scope, jobId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/jobs/{jobId}/notes",
      tags: ["jobs"],
      summary: "Add a note to a job (a technician: on a job assigned to them)",
      request: { params: JobParams, body: jsonBody(JobNoteInput) },
      responses: { 201: jsonContent(JobNote, "Created"), ...errorResponses },
    }),
    async (c) => {
      const { orgId, jobId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobnotes:create");
      return c.json(await addJobNote(scope, jobId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/projects",
      tags: ["projects"],
      summary: "Projects of the org with their job counts, open ones first",
      request: { params: OrgParams, query: ProjectListQuery },
      responses: { 200: jsonContent(z.object({ projects: z.array(Project) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:manage");
      return c.json({ projects: await listProjects(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/projects",
      tags: ["projects"],
      summary: "Create a project",
      request: { params: OrgParams, body: jsonBody(ProjectCreateInput) },
      responses: { 201: jsonContent(ProjectDetail, "Created"), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "jobs:manage");
      return c.json(await createProject(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/projects/{projectId}",
      tags: ["projects"],
      summary: "One project with its jobs",
      request: { params: ProjectParams },
      responses: { 200: jsonContent(ProjectDetail), ...errorResponses },
    }),
    async (c) => {
      const { orgId, projectId } = c.req.valid("param");
      return c.json(await getProject(await requireOrgPermission(scopeOf(c), orgId, "jobs:manage"), projectId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/projects/{projectId}",
      tags: ["projects"],
      summary: "Edit a project; cancel it (CANCELED) or reopen it (OPEN: rolled up from its jobs again)",
      request: { params: ProjectParams, body: jsonBody(ProjectPatchInput) },
      responses: { 200: jsonContent(ProjectDetail), ...writeErrors },
    }),
    async (c) => {
      const { orgId, projectId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "jobs:manage");
      return c.json(await updateProject(scope, projectId, c.req.valid("json")), 200);
    },
  );
